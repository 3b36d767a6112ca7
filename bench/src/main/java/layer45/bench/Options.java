package layer45.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the benchmarks' mains: {@code --name value} pairs, each name at most once. */
final class Options {

    private final Map<String, String> values;
    private final Set<String> used = new HashSet<>();

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException if an argument is not {@code --name value} or a name repeats
     */
    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'"
                        + (i + 1 == args.length ? " without a value" : ""));
            }
            if (values.put(args[i].substring(2), args[i + 1]) != null) {
                throw new IllegalArgumentException("option " + args[i] + " is given twice");
            }
        }
        return new Options(values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String text(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("option --" + name + " is missing");
        }
        used.add(name);
        return value;
    }

    String text(String name, String fallback) {
        return has(name) ? text(name) : fallback;
    }

    int integer(String name, int min, int max) {
        String text = text(name);
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " " + text + " is not a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    double decimal(String name) {
        String text = text(name);
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " " + text + " is not a number");
        }
        if (!(value > 0 && value <= 3600)) {
            throw new IllegalArgumentException("--" + name + " " + text + " is outside (0, 3600] seconds");
        }
        return value;
    }

    List<String> list(String name, String fallback) {
        List<String> items = new ArrayList<>();
        for (String item : text(name, fallback).split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " lists nothing");
        }
        return items;
    }

    /** @throws IllegalArgumentException naming the options that were given but mean nothing */
    void requireAllUsed() {
        List<String> unknown = values.keySet().stream().filter(name -> !used.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): --" + String.join(", --", unknown));
        }
    }
}
