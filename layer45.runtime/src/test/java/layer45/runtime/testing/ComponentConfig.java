package layer45.runtime.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Instances of a component property type (the {@code Config} annotation a Declarative Services component is
 * configured with), for unit tests that configure a component by hand: the properties given, and the annotation's
 * defaults for the rest, as DS would hand them over.
 *
 * <pre>{@code
 * module.configure(ComponentConfig.of(EchoTag.Config.class, "start.tag", "[["));
 * }</pre>
 */
public final class ComponentConfig {

    private ComponentConfig() {
    }

    /**
     * @param <A> the property type
     * @param type the property type
     * @param namesAndValues property names as DS derives them from the elements ({@code start.tag} for
     *        {@code start_tag()}), each followed by its value, of the element's type
     * @return the instance
     * @throws IllegalArgumentException if a name is not one of the type's properties, a value has the wrong type, or an
     *         element without a default is not given
     */
    public static <A extends Annotation> A of(Class<A> type, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs: " + Arrays.toString(namesAndValues));
        }
        Map<String, Method> elements = new TreeMap<>();
        for (Method m : type.getDeclaredMethods()) {
            elements.put(propertyName(m.getName()), m);
        }
        Map<String, Object> values = new HashMap<>();
        for (Method m : elements.values()) {
            if (m.getDefaultValue() != null) {
                values.put(m.getName(), m.getDefaultValue());
            }
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Method m = elements.get(String.valueOf(namesAndValues[i]));
            Object value = namesAndValues[i + 1];
            if (m == null) {
                throw new IllegalArgumentException(type.getName() + " has no property '" + namesAndValues[i]
                        + "'; it has " + elements.keySet());
            }
            if (value == null || !box(m.getReturnType()).isInstance(value)) {
                throw new IllegalArgumentException("property '" + namesAndValues[i] + "' of " + type.getName()
                        + " is a " + m.getReturnType().getSimpleName() + ", not " + value);
            }
            values.put(m.getName(), value);
        }
        for (Method m : elements.values()) {
            if (!values.containsKey(m.getName())) {
                throw new IllegalArgumentException("property '" + propertyName(m.getName()) + "' of "
                        + type.getName() + " has no default: give it");
            }
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> "@" + type.getName() + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> values.get(method.getName());
                }));
    }

    /** DS's mapping of an element name to a property name, for the names property types use. */
    private static String propertyName(String element) {
        return element.replace("__", "\0").replace('_', '.').replace('\0', '_');
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "boolean" -> Boolean.class;
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            default -> Character.class;
        };
    }
}
