package dev.sotto.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench.svg: error rate against first-partial latency, one point per chunk size, one line
 * per model. Plain SVG written by hand: no plotting library for one chart.
 */
public final class BenchPlot {
    private static final int WIDTH = 860;
    private static final int HEIGHT = 460;
    private static final int LEFT = 80;
    private static final int RIGHT = 290;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private BenchPlot() {
    }

    public static String svg(List<Bench.Row> rows) {
        Map<String, List<Bench.Row>> byModel = new LinkedHashMap<>();
        for (Bench.Row r : rows) byModel.computeIfAbsent(r.model().replaceAll("/\\d+ms$", ""), k -> new ArrayList<>()).add(r);
        double maxX = 1;
        double maxY = 1;      // percent: a flat 0% line still gets a readable axis
        for (Bench.Row r : rows) {
            if (!Double.isNaN(latency(r))) maxX = Math.max(maxX, latency(r));
            if (!Double.isNaN(rate(r))) maxY = Math.max(maxY, 100 * rate(r));
        }
        double xStep = niceStep(maxX);
        double yStep = niceStep(maxY);
        double xMax = Math.ceil(maxX / xStep) * xStep;
        double yMax = Math.ceil(maxY / yStep) * yStep;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"16\">Error rate vs first-partial "
                + "latency (one point per chunk size)</text>%n", LEFT));
        for (double x = 0; x <= xMax + 1e-9; x += xStep) {
            double px = LEFT + plotW * x / xMax;
            s.append(line(px, TOP, px, TOP + plotH, "#e5e5e5"));
            s.append(text(px, TOP + plotH + 18, "middle", fmt(x)));
        }
        for (double y = 0; y <= yMax + 1e-9; y += yStep) {
            double py = TOP + plotH - plotH * y / yMax;
            s.append(line(LEFT, py, LEFT + plotW, py, "#e5e5e5"));
            s.append(text(LEFT - 8, py + 4, "end", fmt(y) + "%"));
        }
        s.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "black"));
        s.append(line(LEFT, TOP, LEFT, TOP + plotH, "black"));
        s.append(text(LEFT + plotW / 2.0, HEIGHT - 15, "middle", "mean first-partial latency (ms): audio arrival to first token"));
        s.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">"
                + "error rate (WER, or CER)</text>%n", TOP + plotH / 2, TOP + plotH / 2));

        int series = 0;
        for (Map.Entry<String, List<Bench.Row>> e : byModel.entrySet()) {
            String color = COLORS[series % COLORS.length];
            StringBuilder points = new StringBuilder();
            int index = 0;
            for (Bench.Row r : e.getValue()) {
                if (Double.isNaN(latency(r)) || Double.isNaN(rate(r))) continue;
                double px = LEFT + plotW * latency(r) / xMax;
                double py = TOP + plotH - plotH * 100 * rate(r) / yMax;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>%n", px, py, color));
                // stagger labels at two heights so neighbouring points stay readable
                s.append(text(px + 6, index++ % 2 == 0 ? py - 9 : py - 24, "start", r.chunkMs() + " ms"));
            }
            if (points.length() > 0) {
                s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
                        points.toString().trim(), color));
            }
            double ly = TOP + 10 + 20 * series;
            s.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>%n", WIDTH - RIGHT + 20, ly, color));
            s.append(text(WIDTH - RIGHT + 30, ly + 4, "start", escape(e.getKey())));
            series++;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    static double latency(Bench.Row r) {
        return r.firstPartialMean();
    }

    static double rate(Bench.Row r) {
        return !Double.isNaN(r.wer()) ? r.wer() : r.cer();
    }

    /** 1, 2 or 5 times a power of ten, giving about five ticks. */
    static double niceStep(double max) {
        double raw = max / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    private static String line(double x1, double y1, double x2, double y2, String color) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, color);
    }

    private static String text(double x, double y, String anchor, String text) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n", x, y, anchor, text);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
