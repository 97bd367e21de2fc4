package dev.sotto.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class TextNormalizerTest {
    private static final TextNormalizer EN = TextNormalizer.english();
    private static final TextNormalizer BASIC = TextNormalizer.basic();

    @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            HE HOPED THERE WOULD BE STEW                   | he hoped there would be stew
            And so, my fellow Americans: ask not!          | and so my fellow americans ask not
            "  spaced \t out\n\n text  "                   | spaced out text
            don't won't o'clock                            | don't won't o'clock
            don’t ‘quoted’ “double”                        | don't quoted double
            the boys' toys, 'tis 'em                       | the boys toys tis em
            forty-two line Bible                           | 42 line bible
            lower-case ne-plus-ultra — well–known          | lower case ne plus ultra well known
            i.e. the U.S.A. at 9 a.m.                      | ie the usa at 9 am
            psalters, etc., produced                       | psalters etc produced
            Mr. Quilter and Mrs Jones met Dr. Who          | mister quilter and missus jones met doctor who
            St. Paul                                       | st paul
            "Um, uh, hmm... yes, mm-hmm"                   | yes
            [noise] hello <unk> world                      | hello world
            (which also was printed) in 1462               | which also was printed in 1462
            café naïve Lübeck Æsop Straße                  | cafe naive lubeck aesop strasse
            ＦＵＬＬ－ＷＩＤＴＨ １２３ ﬁne                | full width 123 fine
            ""                                             | ""
            ".,;!? -- ..."                                 | ""
            """)
    void englishTextRules(String input, String expected) {
        assertEquals(expected, EN.normalize(input));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            twenty five                         | 25
            25                                  | 25
            nineteen sixty                      | 1960
            1960                                | 1960
            one thousand nine hundred and sixty | 1960
            nineteen hundred and sixty          | 1960
            in fourteen fifty five              | in 1455
            twenty twenty five                  | 2025
            two thousand and five               | 2005
            nineteen oh five                    | 1905
            one oh one                          | 101
            one zero one                        | 101
            two three four                      | 234
            seven forty seven                   | 747
            three hundred and twelve            | 312
            a hundred and fifty people          | 150 people
            twenty five hundred                 | 2500
            two million three hundred thousand  | 2300000
            2,300,000                           | 2300000
            1,000 men                           | 1000 men
            fifteenth century                   | 15th century
            15th century                        | 15th century
            twenty first                        | 21st
            one hundred and first               | 101st
            the first books                     | the 1st books
            the sixties                         | the 60s
            the 1960's                          | the 1960s
            nineteen sixties                    | 1960s
            three point one four                | 3.14
            three point oh five                 | 3.05
            zero point five                     | 0.5
            one point five million              | 1500000
            1.5 million                         | 1500000
            ten thirty                          | 1030
            10:30                               | 1030
            five percent                        | 5 percent
            5%                                  | 5 percent
            5 per cent                          | 5 percent
            $20 million                         | 20000000 dollars
            twenty million dollars              | 20000000 dollars
            $1                                  | one dollar
            one dollar                          | one dollar
            £5 and €3                           | 5 pounds and 3 euros
            50¢                                 | 50 cents
            10km                                | 10 km
            mp3                                 | mp 3
            007                                 | 007
            the one and only                    | the one and only
            no one else                         | no one else
            1                                   | one
            oh my god                           | oh my god
            two oh my                           | 2 oh my
            three point oh                      | 3 point oh
            the point is                        | the point is
            thousands of hundreds               | thousands of hundreds
            fifteen or twenty years             | 15 or 20 years
            """)
    void englishNumbersBecomeDigits(String input, String expected) {
        assertEquals(expected, EN.normalize(input));
    }

    @Test
    void spelledAndWrittenNumbersScoreAlike() {
        String ref = "the earliest book printed with movable types, the Gutenberg, or \"forty-two line Bible\" of about 1455,";
        String hyp = "The earliest book printed with movable types the Gutenberg or 42-line Bible of about fourteen fifty-five";
        assertEquals(EN.normalize(ref), EN.normalize(hyp));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            Sous le consulat il devient conservateur des eaux et forêts | sous le consulat il devient conservateur des eaux et forêts
            ¿Qué año?  ¡Sí! «Très» bien.                                | qué año sí très bien
            L’homme dell’anno                                           | l'homme dell'anno
            Straße STRASSE                                              | strasse strasse
            3,5 Prozent und 1.000 Euro                                  | 3,5 prozent und 1.000 euro
            zwanzig-fünf                                                | zwanzig fünf
            ΟΔΟΣ οδός                                                   | οδος οδός
            """)
    void basicKeepsDiacriticsAndDigits(String input, String expected) {
        assertEquals(expected, BASIC.normalize(input));
    }

    @Test
    void basicDoesNotTouchNumberWords() {
        assertEquals("twenty five", BASIC.normalize("Twenty-five"));
    }

    @Test
    void japaneseLosesPunctuationAndScoresByCharacter() {
        String n = TextNormalizer.forLanguage("ja").normalize("水をマレーシアから買わなくてはならないのです。");
        assertEquals("水をマレーシアから買わなくてはならないのです", n);
        assertEquals(22, ScoringUnit.forLanguage("ja").split(n).size());
        assertEquals("東京 2020", TextNormalizer.forLanguage("ja").normalize("「東京」・２０２０！"));
    }

    @Test
    void languageChoosesTheNormaliserAndUnit() {
        assertSame(EN, TextNormalizer.forLanguage("en"));
        assertSame(EN, TextNormalizer.forLanguage("EN_us"));
        assertSame(EN, TextNormalizer.forLanguage("en-GB"));
        assertSame(BASIC, TextNormalizer.forLanguage("de"));
        assertSame(BASIC, TextNormalizer.forLanguage("eng")); // ISO 639-2 is not assumed
        assertSame(BASIC, TextNormalizer.forLanguage(null));
        assertEquals(ScoringUnit.CHARACTER, ScoringUnit.forLanguage("ja"));
        assertEquals(ScoringUnit.CHARACTER, ScoringUnit.forLanguage("zh-CN"));
        assertEquals(ScoringUnit.CHARACTER, ScoringUnit.forLanguage("ko"));
        assertEquals(ScoringUnit.CHARACTER, ScoringUnit.forLanguage("yue"));
        assertEquals(ScoringUnit.WORD, ScoringUnit.forLanguage("en"));
        assertEquals(ScoringUnit.WORD, ScoringUnit.forLanguage("pt"));
    }

    @Test
    void nullIsEmpty() {
        assertEquals("", EN.normalize(null));
        assertEquals("", BASIC.normalize(null));
    }

    @Test
    void normalisingTwiceChangesNothing() {
        for (String s : new String[] {"Mr. Quilter's twenty-five 1,000 $5 i.e. fifteenth", "one oh one point five"}) {
            String once = EN.normalize(s);
            assertEquals(once, EN.normalize(once), s);
        }
    }
}
