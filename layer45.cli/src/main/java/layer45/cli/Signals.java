package layer45.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Catches the signals a user sends to the client, so it can pass them on to the command it runs and wait for it
 * instead of dying first. The JDK's only way is {@code sun.misc.Signal} (module {@code jdk.unsupported}); it is
 * reached by reflection because javac warns about every direct use, with no way to say the use is deliberate.
 */
final class Signals {

    private Signals() {
    }

    /**
     * @param name a signal's name without {@code SIG}: {@code INT}, {@code TERM}, {@code HUP}
     * @param handler what to do when it arrives, instead of the JVM's default (exiting)
     * @return whether the handler is installed; if not, the signal keeps its default
     */
    static boolean handle(String name, Runnable handler) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object signal = signalType.getConstructor(String.class).newInstance(name);
            Object proxy = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] { handlerType },
                    (self, method, args) -> invoke(self, method, args, handler));
            signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, proxy);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static Object invoke(Object self, Method method, Object[] args, Runnable handler) {
        return switch (method.getName()) {
            case "handle" -> {
                handler.run();
                yield null;
            }
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            default -> "signal handler " + handler;
        };
    }
}
