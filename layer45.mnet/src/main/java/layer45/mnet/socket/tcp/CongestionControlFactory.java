package layer45.mnet.socket.tcp;

/** Makes a fresh {@link CongestionControl} for each new connection. */
@FunctionalInterface
public interface CongestionControlFactory {

    /** @return a new instance, to be {@linkplain CongestionControl#init started} by the connection */
    CongestionControl create();
}
