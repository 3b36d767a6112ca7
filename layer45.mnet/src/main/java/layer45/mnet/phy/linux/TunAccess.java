package layer45.mnet.phy.linux;

/**
 * Whether this process can create TUN devices, found out once by trying: it creates a throwaway device (down,
 * without addresses, named {@code l45probe%d} so the kernel picks a free number) and closes it at once, which
 * removes it.
 */
public final class TunAccess {

    private TunAccess() {
    }

    /**
     * @return {@code null} when this process can create a TUN device, or one line saying why not and how to fix
     *         it (load the tun module, run as root or with CAP_NET_ADMIN, enable native access); the answer of the
     *         first call is kept
     */
    public static String unavailableReason() {
        return Answer.REASON;
    }

    /** The class holder idiom: the probe runs once, on first use, thread-safely. */
    private static final class Answer {
        static final String REASON = probe();
    }

    private static String probe() {
        try {
            TunDevice.open(new TunOptions("l45probe%d", TunOptions.DEFAULT_MTU)).close();
            return null;
        } catch (TunException e) {
            // The probe's name means nothing to an operator: say "a TUN device".
            return oneLine(e.getMessage().replace("TUN device l45probe%d", "a TUN device"));
        } catch (RuntimeException | LinkageError e) {
            return oneLine("cannot create a TUN device: " + e);
        }
    }

    /**
     * @param message a message that may span lines
     * @return it on one line
     */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
