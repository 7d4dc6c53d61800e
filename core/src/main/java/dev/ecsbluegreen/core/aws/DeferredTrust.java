package dev.ecsbluegreen.core.aws;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's default trust manager, created at the first TLS handshake instead of when an HTTP client is built.
 *
 * <p>The SDK's URL-connection client builds an {@code SSLContext} in its constructor. Given no trust managers,
 * {@code SSLContext.init} creates the default {@code TrustManagerFactory} there and then, which reads and parses the
 * JDK's CA certificates: about 50 ms of a function's cold start, measured (BENCHMARKS.md). It is paid by every
 * function init, even when no call is made over TLS. Given this trust manager instead, the context is initialised
 * without it; the first handshake creates the same default trust manager
 * ({@code TrustManagerFactory.getDefaultAlgorithm()}, initialised with the default {@code KeyStore} as {@code null}
 * asks). Every check is then delegated to it unchanged, the socket and engine variants included, which are where
 * endpoint identification happens. One instance serves every client of the JVM, so the certificates are read once.
 * Trust is exactly the default; only the moment it is built differs.
 */
final class DeferredTrust extends X509ExtendedTrustManager {
    /** The JVM's one deferred default trust manager. */
    static final DeferredTrust DEFAULT = new DeferredTrust(DeferredTrust::jdkDefault);

    private final Supplier<X509ExtendedTrustManager> create;
    private volatile X509ExtendedTrustManager delegate;

    DeferredTrust(Supplier<X509ExtendedTrustManager> create) {
        this.create = create;
    }

    /** For the SDK's {@code tlsTrustManagersProvider}. */
    static TrustManager[] managers() {
        return new TrustManager[] {DEFAULT};
    }

    /** Whether the real trust manager has been created (for tests). */
    boolean created() {
        return delegate != null;
    }

    private X509ExtendedTrustManager delegate() {
        X509ExtendedTrustManager d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    d = create.get();
                    delegate = d;
                }
            }
        }
        return d;
    }

    /** What {@code SSLContext.init(km, null, sr)} would have created. */
    static X509ExtendedTrustManager jdkDefault() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's default TrustManagerFactory has no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's default trust store cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate().getAcceptedIssuers();
    }
}
