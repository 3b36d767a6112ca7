package layer45.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
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
 *
 * {@link ModuleTester#activate(Class, Object...)} does this for a component's activate method, from its descriptor.
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
        Map<String, Method> elements = elements(type);
        Map<String, Object> values = defaults(elements);
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
        return proxy(type, elements, values);
    }

    /**
     * An instance as Declarative Services makes it from a component's properties: each element reads the property of
     * its name, converted to the element's type as DS converts it (a string to a number, one value to an array of
     * one, an array to its first value), or its default.
     *
     * @param <A> the property type
     * @param type the property type
     * @param properties the component's properties
     * @return the instance
     * @throws IllegalArgumentException if a value cannot be converted, or an element without a default has no value
     */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> properties) {
        Map<String, Method> elements = elements(type);
        Map<String, Object> values = defaults(elements);
        elements.forEach((property, m) -> {
            Object value = properties.get(property);
            if (value != null) {
                values.put(m.getName(), convert(value, m.getReturnType(), property, type));
            }
        });
        return proxy(type, elements, values);
    }

    private static Map<String, Method> elements(Class<?> type) {
        String prefix = prefix(type);
        Map<String, Method> elements = new TreeMap<>();
        for (Method m : type.getDeclaredMethods()) {
            elements.put(prefix + propertyName(m.getName()), m);
        }
        return elements;
    }

    private static Map<String, Object> defaults(Map<String, Method> elements) {
        Map<String, Object> values = new HashMap<>();
        for (Method m : elements.values()) {
            if (m.getDefaultValue() != null) {
                values.put(m.getName(), m.getDefaultValue());
            }
        }
        return values;
    }

    /** The {@code PREFIX_} constant of a property type, as DS prepends it to every property name. */
    private static String prefix(Class<?> type) {
        try {
            return String.valueOf(type.getField("PREFIX_").get(null));
        } catch (ReflectiveOperationException e) {
            return "";
        }
    }

    private static Object convert(Object value, Class<?> target, String property, Class<?> type) {
        if (value.getClass().isArray() && !target.isArray()) {
            int n = Array.getLength(value);
            return n == 0 ? null : convert(Array.get(value, 0), target, property, type);
        }
        if (target.isArray()) {
            Object[] items = value.getClass().isArray() ? boxed(value) : new Object[] { value };
            Object array = Array.newInstance(target.getComponentType(), items.length);
            for (int i = 0; i < items.length; i++) {
                Array.set(array, i, convert(items[i], target.getComponentType(), property, type));
            }
            return array;
        }
        Class<?> boxed = box(target);
        if (boxed.isInstance(value)) {
            return value;
        }
        String text = String.valueOf(value).trim();
        try {
            return switch (boxed.getSimpleName()) {
                case "String" -> String.valueOf(value);
                case "Boolean" -> Boolean.valueOf(text);
                case "Integer" -> Integer.valueOf(text);
                case "Long" -> Long.valueOf(text);
                case "Double" -> Double.valueOf(text);
                case "Float" -> Float.valueOf(text);
                case "Short" -> Short.valueOf(text);
                case "Byte" -> Byte.valueOf(text);
                case "Character" -> text.isEmpty() ? null : text.charAt(0);
                default -> {
                    if (target.isEnum()) {
                        yield enumValue(target, text);
                    }
                    throw new IllegalArgumentException("type " + target.getName() + " is not a property type");
                }
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("property '" + property + "' of " + type.getName() + " is a "
                    + target.getSimpleName() + ", and '" + value + "' is not one: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Object enumValue(Class<?> target, String text) {
        return Enum.valueOf((Class<? extends Enum>) target, text);
    }

    private static Object[] boxed(Object array) {
        Object[] items = new Object[Array.getLength(array)];
        for (int i = 0; i < items.length; i++) {
            items[i] = Array.get(array, i);
        }
        return items;
    }

    private static <A extends Annotation> A proxy(Class<A> type, Map<String, Method> elements,
            Map<String, Object> values) {
        for (Map.Entry<String, Method> e : elements.entrySet()) {
            if (!values.containsKey(e.getValue().getName())) {
                throw new IllegalArgumentException("property '" + e.getKey() + "' of " + type.getName()
                        + " has no default: give it");
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
