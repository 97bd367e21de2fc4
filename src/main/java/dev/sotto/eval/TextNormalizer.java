package dev.sotto.eval;

/**
 * Puts a reference and a hypothesis into one canonical form before they are scored, so that an error
 * rate counts recognition errors rather than differences of transcription style (case, punctuation,
 * "25" against "twenty five"). Both sides always go through the same normaliser, chosen by the row's
 * language: {@link #english()} for {@code en} and its regions, {@link #basic()} for every other language.
 * Text normalisation is a convention: the result is a word sequence made for scoring, not for reading.
 *
 * <h2>Both modes</h2>
 * <ol>
 *   <li><b>Unicode NFKC</b>: compatibility forms become plain ones (full-width {@code ＡＢＣ１２} is
 *       {@code abc12}, the ligature {@code ﬁ} is {@code fi}, {@code ²} is {@code 2}).</li>
 *   <li><b>Case folding</b>: upper- then lower-casing in the root locale, an approximation of Unicode
 *       full case folding: {@code ß} and {@code SS} both become {@code ss}, and a capitalised Greek word
 *       gets its final sigma ({@code ΟΔΟΣ} is {@code οδος}).</li>
 *   <li><b>Apostrophes</b>: {@code ’ ‘ ʼ ′ ` ´} become {@code '}. An apostrophe between two letters stays
 *       part of the word ({@code don't}, {@code o'clock}, {@code l'homme}); any other apostrophe (quotes,
 *       {@code boys'}, {@code 'em}) is removed like punctuation.</li>
 *   <li><b>Annotations</b>: text in square or angle brackets is removed ({@code [noise]}, {@code <unk>}).
 *       Text in parentheses is kept, parentheses dropped: unlike Whisper's normaliser, which deletes it,
 *       because in read speech such as LJSpeech the parenthesised words are spoken (LJ001-0024).</li>
 *   <li><b>Dotted abbreviations</b>: single letters joined by dots are closed up: {@code i.e.} is
 *       {@code ie}, {@code U.S.A.} is {@code usa}, {@code a.m.} is {@code am}.</li>
 *   <li><b>Punctuation and symbols</b> (Unicode categories P, S, and hyphens and dashes of every kind)
 *       separate words: {@code forty-two} is {@code forty two}, {@code lower-case} is {@code lower case}.
 *       A dot between digits stays ({@code 3.5}). Letters, digits and combining marks make up words.</li>
 *   <li><b>Whitespace</b> of any kind collapses to single spaces; no leading or trailing space.</li>
 * </ol>
 *
 * <h2>English ({@code en}, {@code en-*})</h2>
 * After the steps above, in this order:
 * <ol>
 *   <li><b>Diacritics removed</b> (NFD, combining marks dropped; {@code æ œ ø ß đ ð þ ł} spelt
 *       {@code ae oe o ss d d th l}): in English they are optional spellings ({@code café},
 *       {@code Lübeck}).</li>
 *   <li><b>Digit punctuation</b>: a comma before exactly three digits is dropped ({@code 1,000} is
 *       {@code 1000}); a colon before exactly two digits is dropped ({@code 10:30} is {@code 1030}, which
 *       is what "ten thirty" becomes); {@code 1960's} is {@code 1960s}. Letters and digits are split apart
 *       ({@code 10km} is {@code 10 km}) except ordinal and plural suffixes ({@code 15th}, {@code 1960s}).</li>
 *   <li><b>Fillers removed</b>: {@code uh um uhm hmm mm mmm mhm} (references disagree on whether to
 *       transcribe hesitations).</li>
 *   <li><b>Titles</b>: {@code mr mrs dr} become {@code mister missus doctor}, which is how they are always
 *       read (LibriSpeech writes "MISTER QUILTER" where other texts have "Mr Quilter"). Ambiguous
 *       abbreviations ({@code st}: saint or street) are left alone.</li>
 *   <li><b>Numbers: words become digits.</b> Many spoken forms converge on one written form ("nineteen
 *       sixty", "one thousand nine hundred and sixty" and "1960" are all {@code 1960}), whereas digits to
 *       words would have to guess a reading. Within a run of number words:
 *     <ul>
 *       <li>words add where English adds: {@code twenty five} is {@code 25}, {@code three hundred and
 *           twelve} is {@code 312}, {@code two million three hundred thousand} is {@code 2300000},
 *           {@code a hundred} is {@code 100}, {@code twenty five hundred} is {@code 2500};</li>
 *       <li>groups that cannot add are read one after another, as years, times and digit strings are:
 *           {@code nineteen sixty} is {@code 1960}, {@code twenty twenty five} is {@code 2025},
 *           {@code nineteen oh five} is {@code 1905}, {@code one oh one} and {@code one zero one} are
 *           {@code 101}, {@code two three four} is {@code 234}; {@code oh} and {@code o} count as zero
 *           only between digit words;</li>
 *       <li>ordinals and decade plurals keep their suffix: {@code fifteenth} is {@code 15th},
 *           {@code twenty first} is {@code 21st}, {@code second} is {@code 2nd}, {@code the sixties} is
 *           {@code the 60s};</li>
 *       <li>decimals: {@code three point one four} is {@code 3.14}; {@code one point five million} and
 *           {@code 1.5 million} are {@code 1500000};</li>
 *       <li>{@code %} and {@code per cent} are the word {@code percent}; {@code $ £ € ¢} become
 *           {@code dollars pounds euros cents} after the number ({@code $20 million} is
 *           {@code 20000000 dollars}, {@code $1} is {@code one dollar});</li>
 *       <li>the number one on its own is written {@code one}, whether spoken or typed {@code 1}: it is
 *           mostly a pronoun ("the one", "no one"); {@code 1st} stays {@code 1st}.</li>
 *     </ul>
 *       Not handled: fractions ("a half"), negative numbers, money with cents ("$2.50" is
 *       {@code 2.50 dollars}, "two dollars fifty" is {@code 2 dollars 50}), Roman numerals.</li>
 * </ol>
 * Deliberately not done: contractions stay as written ({@code don't} is not {@code do not}: expanding
 * {@code 's} and {@code 'd} is ambiguous, and a model that writes "do not" for a spoken "don't" did not
 * transcribe verbatim); British and American spellings are not unified ({@code colour} is not
 * {@code color}: that needs a curated dictionary, and rules such as -our to -or are wrong for "hour" or
 * "flour"). Both differ from Whisper's English normaliser and the Open ASR Leaderboard, so their WERs
 * are close to but not the same as ours.
 *
 * <h2>Other languages ({@link #basic()})</h2>
 * Only the common steps. Diacritics are kept: in Spanish, French, German or Portuguese they tell words
 * apart ({@code año}/{@code ano}, {@code où}/{@code ou}), as Whisper's basic normaliser keeps them by
 * default. Digits are left as written, and a comma or dot between digits stays ({@code 3,5}), since
 * number words and decimal separators are language-specific.
 *
 * <h2>Japanese, Chinese, Korean</h2>
 * Normalised with {@link #basic()}, then scored by characters: {@link ScoringUnit#CHARACTER} removes all
 * whitespace and compares code points, so word segmentation does not count.
 */
public sealed interface TextNormalizer permits EnglishNormalizer, BasicNormalizer {

    /** The normalised form: words separated by single spaces, possibly empty; never null. Null reads as "". */
    String normalize(String text);

    static TextNormalizer english() {
        return EnglishNormalizer.INSTANCE;
    }

    static TextNormalizer basic() {
        return BasicNormalizer.INSTANCE;
    }

    /** {@link #english()} for {@code en} and {@code en-*} (any case, {@code _} or {@code -}), else {@link #basic()}. */
    static TextNormalizer forLanguage(String lang) {
        return Languages.isEnglish(lang) ? english() : basic();
    }
}
