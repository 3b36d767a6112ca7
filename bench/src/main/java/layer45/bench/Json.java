package layer45.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A minimal JSON writer for the results: maps, lists, strings, numbers and booleans. */
final class Json {
    private Json() {
    }

    /** @return the run's first entries, common to the benchmarks: what ran, when, on which JVMs */
    static Map<String, Object> runHeader(String benchmark, Instant started, long elapsedNanos,
            List<String> loadJvmFlags) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("benchmark", benchmark);
        run.put("started", started.toString());
        run.put("elapsed_s", elapsedNanos / 1e9);
        run.put("jdk", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.vm.version") + ")");
        run.put("jvm_flags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        run.put("load_jvm_flags", String.join(" ", loadJvmFlags));
        return run;
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.toString();
    }

    private static void write(Object value, StringBuilder out, String indent) {
        switch (value) {
            case null -> out.append("null");
            case Map<?, ?> map -> {
                out.append("{");
                String inner = indent + "  ";
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "\n" : ",\n").append(inner);
                    first = false;
                    string(entry.getKey().toString(), out);
                    out.append(": ");
                    write(entry.getValue(), out, inner);
                }
                out.append(first ? "}" : "\n" + indent + "}");
            }
            case List<?> list -> {
                out.append("[");
                String inner = indent + "  ";
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "\n" : ",\n").append(inner);
                    write(list.get(i), out, inner);
                }
                out.append(list.isEmpty() ? "]" : "\n" + indent + "]");
            }
            case Double d -> out.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            default -> string(value.toString(), out);
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
