package layer45.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

import layer45.runtime.rules.ModuleRule;
import layer45.runtime.rules.RuleBrokenException;

/**
 * Looks, after every call, for the call's Chunk, Output or Flow in the module's fields and in its per-flow state
 * (one level deep, arrays and collections included). The runtime catches a kept view only when it is used later;
 * a test can catch it as soon as it is kept. Reports it as the runtime reports rule 2 (the views belong to the
 * runtime), from inside the call, so the runtime counts the fault and aborts the flow as it would.
 */
final class KeptViews {

    private KeptViews() {
    }

    static void check(String module, Object instance, Object state, Object... views) {
        Map<Object, String> kinds = new IdentityHashMap<>();
        String[] names = { "Chunk", "Output", "Flow", "Flow" };
        for (int i = 0; i < views.length; i++) {
            kinds.put(views[i], names[Math.min(i, names.length - 1)]);
        }
        String found = search(instance, kinds);
        if (found == null && state != null) {
            found = search(state, kinds);
        }
        if (found != null) {
            throw new RuleBrokenException(module, ModuleRule.BUFFERS_BELONG_TO_THE_RUNTIME, "kept " + found
                    + " after the call returned");
        }
    }

    private static String search(Object holder, Map<Object, String> kinds) {
        for (Class<?> c = holder.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType().isPrimitive()) {
                    continue;
                }
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(Modifier.isStatic(f.getModifiers()) ? null : holder);
                } catch (InaccessibleObjectException | IllegalAccessException e) {
                    continue;
                }
                String kind = kindOf(value, kinds);
                if (kind != null) {
                    return "the " + kind + " of the call in field " + c.getSimpleName() + "." + f.getName();
                }
            }
        }
        return null;
    }

    private static String kindOf(Object value, Map<Object, String> kinds) {
        if (value == null) {
            return null;
        }
        if (kinds.containsKey(value)) {
            return kinds.get(value);
        }
        if (value instanceof Object[] array) {
            for (int i = 0; i < Array.getLength(array); i++) {
                if (array[i] != null && kinds.containsKey(array[i])) {
                    return kinds.get(array[i]);
                }
            }
        } else if (value instanceof Collection<?> items) {
            try {
                for (Object item : items) {
                    if (item != null && kinds.containsKey(item)) {
                        return kinds.get(item);
                    }
                }
            } catch (RuntimeException e) {
                return null; // a collection that cannot be iterated now (concurrently modified): not ours to judge
            }
        }
        return null;
    }
}
