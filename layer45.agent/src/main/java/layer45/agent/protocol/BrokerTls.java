package layer45.agent.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** TLS 1.3 to the broker, trusting the CA certificates of a PKCS12 trust store (agents and orchestrator alike). */
public final class BrokerTls {

    private BrokerTls() {
    }

    /**
     * @param truststore a PKCS12 file with the broker's CA certificate
     * @param password its password, or "" for none
     * @return sockets that trust that CA only
     * @throws IOException if the file cannot be read
     * @throws GeneralSecurityException if it is not a PKCS12 trust store, or the password is wrong
     */
    public static SSLSocketFactory socketFactory(Path truststore, String password) throws IOException,
            GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            store.load(in, password.isEmpty() ? null : password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
