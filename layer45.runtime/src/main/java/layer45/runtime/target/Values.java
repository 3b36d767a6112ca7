package layer45.runtime.target;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import layer45.api.Transport;

/**
 * Turns service property values into the list entries the parsers read.
 *
 * <p>The same property arrives in different shapes depending on where it was set: Declarative Services stores
 * annotation elements as {@code String[]} (and {@code Transport[]} as enum names), Configuration Admin may hold a
 * single {@code String}, a {@code Collection} or numbers, and operators write comma-separated lists. All of
 * them become one flat list of trimmed strings.
 */
final class Values {

    private Values() {
    }

    /**
     * @param value a property value, or {@code null} if absent
     * @param problems receives a message for each entry that is not a supported type
     * @return the value's strings, each possibly a comma-separated list; empty if absent
     */
    static List<String> strings(Object value, Consumer<String> problems) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            for (int i = 0; i < length; i++) {
                element(Array.get(value, i), out, problems);
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object element : collection) {
                element(element, out, problems);
            }
        } else {
            element(value, out, problems);
        }
        return out;
    }

    private static void element(Object element, List<String> out, Consumer<String> problems) {
        switch (element) {
            case null -> problems.accept("a list entry is null; remove it");
            case String text -> out.add(text);
            case Transport transport -> out.add(transport.name());
            // Configuration Admin files often give ports as numbers; their text is what an operator meant.
            case Byte _, Short _, Integer _, Long _ -> out.add(element.toString());
            default -> problems.accept("a value of type " + element.getClass().getName()
                    + " is not supported; use a String, a String[] or a Collection of Strings");
        }
    }

    /**
     * @param source one string of a property: an entry or a comma-separated list of entries
     * @param problems receives a message for each empty entry
     * @return the entries, trimmed; empty if the source is blank
     */
    static List<String> items(String source, Consumer<String> problems) {
        List<String> out = new ArrayList<>();
        if (source.isBlank()) {
            return out;
        }
        boolean empty = false;
        for (String part : source.split(",", -1)) {
            String item = part.strip();
            if (item.isEmpty()) {
                empty = true;
            } else {
                out.add(item);
            }
        }
        if (empty) {
            problems.accept(quote(source) + " has an empty entry; remove the extra comma");
        }
        return out;
    }

    /** @return the text in quotes, with control characters shown as {@code \\uXXXX} so a message stays on one line */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
