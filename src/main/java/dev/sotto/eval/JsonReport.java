package dev.sotto.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a report. Built as a tree rather than by annotating the records, so the wire names
 * (snake_case) are spelt out in one place and NaN, which JSON cannot carry, becomes null.
 */
final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    static String render(EvalReport report) {
        try {
            return MAPPER.writeValueAsString(tree(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a report as JSON", e);
        }
    }

    static ObjectNode tree(EvalReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        EvalReport.Totals t = report.totals();
        putRate(root, "wer", t.wer()); // always present: null when there are no word-scored rows
        if (t.characterErrors() != null) {
            putRate(root, "cer", t.cer());
        }
        root.put("utterance_count", t.utteranceCount());
        putNumber(root, "audio_seconds", micro(t.audioSeconds()));
        putNumber(root, "decode_seconds", micro(t.decodeSeconds()));
        putNumber(root, "real_time_factor", micro(t.realTimeFactor()));
        if (t.wordErrors() != null) {
            root.set("word_errors", counts(t.wordErrors()));
        }
        if (t.characterErrors() != null) {
            root.set("character_errors", counts(t.characterErrors()));
        }
        ArrayNode rows = root.putArray("utterances");
        for (EvalReport.Utterance u : report.utterances()) {
            rows.add(utterance(u));
        }
        return root;
    }

    private static ObjectNode utterance(EvalReport.Utterance u) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("path", u.path());
        o.put("lang", u.lang());
        o.put("reference", u.reference());
        o.put("hypothesis", u.hypothesis());
        o.put("normalized_reference", u.normalizedReference());
        o.put("normalized_hypothesis", u.normalizedHypothesis());
        o.put("unit", u.unit() == ScoringUnit.WORD ? "word" : "character");
        ErrorRate e = u.errors();
        putRate(o, u.unit().metric(), e.rate());
        o.setAll(counts(e));
        putNumber(o, "duration_seconds", micro(u.durationSeconds()));
        putNumber(o, "decode_seconds", micro(u.decodeSeconds()));
        ArrayNode steps = o.putArray("alignment");
        for (Alignment.Step s : u.alignment().steps()) {
            ObjectNode step = steps.addObject();
            step.put("op", switch (s.op()) {
                case HIT -> "hit";
                case SUBSTITUTION -> "sub";
                case DELETION -> "del";
                case INSERTION -> "ins";
            });
            step.put("ref", s.ref());
            step.put("hyp", s.hyp());
        }
        return o;
    }

    private static ObjectNode counts(ErrorRate e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("substitutions", e.substitutions());
        o.put("deletions", e.deletions());
        o.put("insertions", e.insertions());
        o.put("hits", e.hits());
        o.put("reference_length", e.referenceLength());
        return o;
    }

    /** Times to the microsecond: sums of doubles otherwise print as 9.600000000000001. Rates stay exact. */
    private static double micro(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
    }

    private static void putRate(ObjectNode o, String name, Double rate) {
        putNumber(o, name, rate == null ? Double.NaN : rate);
    }

    private static void putNumber(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }
}
