package layer45.mnet.socket.tcp;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The congestion control algorithms the stack knows, by name. */
public final class CongestionControls {

    private static final List<String> NAMES = List.of(NewReno.NAME, Cubic.NAME);

    private CongestionControls() {
    }

    /**
     * @param name an algorithm's name, in any case: "newreno" or "cubic"
     * @return a factory for it
     * @throws IllegalArgumentException if no algorithm has that name
     */
    public static CongestionControlFactory byName(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name.toLowerCase(Locale.ROOT)) {
            case NewReno.NAME -> NewReno::new;
            case Cubic.NAME -> Cubic::new;
            default -> throw new IllegalArgumentException("unknown congestion control \"" + name
                    + "\"; choose one of " + String.join(", ", NAMES));
        };
    }

    /** @return the names {@link #byName} knows */
    public static List<String> names() {
        return NAMES;
    }
}
