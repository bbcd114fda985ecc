package org.idbroker.it.operations;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** One scrape of {@code /metrics}: each sample (name and labels, as in the text format) with its value. */
final class Scrape {

    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final String text;

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String key = line.substring(0, space);
            samples.put(normalize(key), Double.parseDouble(line.substring(space + 1)));
        }
    }

    /** The value of a sample, 0 when absent; labels may be given in any order. */
    double value(String name, String... labels) {
        return samples.getOrDefault(key(name, labels), 0.0);
    }

    boolean has(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }

    @Override
    public String toString() {
        return text;
    }

    static String key(String name, String... labels) {
        if (labels.length == 0) {
            return name;
        }
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        StringBuilder out = new StringBuilder(name).append('{');
        sorted.forEach((k, v) -> out.append(k).append("=\"").append(v).append("\","));
        out.setLength(out.length() - 1);
        return out.append('}').toString();
    }

    private static String normalize(String key) {
        int brace = key.indexOf('{');
        if (brace < 0) {
            return key;
        }
        String name = key.substring(0, brace);
        String body = key.substring(brace + 1, key.length() - 1);
        Map<String, String> sorted = new TreeMap<>();
        for (String pair : body.split("\",")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String value = pair.substring(eq + 1);
            value = value.startsWith("\"") ? value.substring(1) : value;
            value = value.endsWith("\"") ? value.substring(0, value.length() - 1) : value;
            sorted.put(pair.substring(0, eq), value);
        }
        if (sorted.isEmpty()) {
            return name;
        }
        StringBuilder out = new StringBuilder(name).append('{');
        sorted.forEach((k, v) -> out.append(k).append("=\"").append(v).append("\","));
        out.setLength(out.length() - 1);
        return out.append('}').toString();
    }
}
