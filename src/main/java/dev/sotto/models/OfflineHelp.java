package dev.sotto.models;

import java.nio.file.Path;

/** What to tell someone whose machine cannot download a model: what to fetch, from where, and how to bring it in. */
final class OfflineHelp {
    private OfflineHelp() {
    }

    static String message(CatalogueEntry entry, String reason, Path downloads, Mirrors mirrors) {
        String name = entry.name();
        long bytes = entry.downloadBytes();
        StringBuilder s = new StringBuilder();
        s.append(name).append(": cannot download (").append(reason).append(") from ").append(mirrors.describe()).append(".\n");
        s.append("  To bring it in without a network here: on a machine with internet run\n");
        s.append("      sotto models pull ").append(name).append(" && sotto models pack ").append(name)
                .append(" --out ").append(name).append(".tar\n");
        s.append("  carry ").append(name).append(".tar over, and run here: sotto models unpack ").append(name).append(".tar\n");
        s.append("  Or fetch these files").append(bytes > 0 ? " (" + Bytes.human(bytes) + ")" : "")
                .append(" yourself, put them in ").append(downloads).append(", and run: sotto models pull ")
                .append(name).append(" --offline\n");
        for (CatalogueFile f : entry.files()) {
            s.append("      ").append(f.url()).append("  ->  ").append(f.downloadName());
            if (f.size() != null) s.append("  (").append(Bytes.human(f.size())).append(")");
            if (f.sha256() != null) s.append("  sha256 ").append(f.sha256());
            s.append('\n');
        }
        s.append("  Or point SOTTO_MODEL_MIRROR (MIRROR/HOST/PATH) or SOTTO_HF_ENDPOINT at an internal mirror.");
        return s.toString();
    }
}
