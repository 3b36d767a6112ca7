package layer45.runtime.shell;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.function.Function;

/** Minimal fakes of framework interfaces: each answers the methods it is given and fails on any other. */
final class Osgi {

    private Osgi() {
    }

    /**
     * @param type a framework interface
     * @param answers answers by method name, from the call's arguments
     * @return a fake
     */
    static <T> T fake(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        return type.cast(Proxy.newProxyInstance(Osgi.class.getClassLoader(), new Class<?>[] { type },
                (proxy, method, args) -> {
                    Function<Object[], Object> answer = answers.get(method.getName());
                    if (answer != null) {
                        return answer.apply(args == null ? new Object[0] : args);
                    }
                    return switch (method.getName()) {
                        case "toString" -> "fake " + type.getSimpleName();
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(type.getSimpleName() + "."
                                + method.getName());
                    };
                }));
    }
}
