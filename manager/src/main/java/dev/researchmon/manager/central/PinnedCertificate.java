package dev.researchmon.manager.central;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one certificate: the one the store was told to serve. The manager probes its own
 * store's health over https with it; the store's certificate names the machine as the hosts reach it
 * (central.lab), not as the manager does (127.0.0.1), so the usual CA and name checks do not fit, and
 * the exact certificate from the file is a stronger check than either.
 *
 * <pre>{@code
 * SSLContext context = PinnedCertificate.context(tls.certificate());
 * }</pre>
 */
final class PinnedCertificate extends X509ExtendedTrustManager {
    private final X509Certificate expected;

    private PinnedCertificate(X509Certificate expected) {
        this.expected = expected;
    }

    static SSLContext context(X509Certificate expected) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedCertificate(expected)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no TLS", e);
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0 || !chain[0].equals(expected)) {
            throw new CertificateException("the server's certificate is not the one in --store-tls-cert");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a probe accepts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a probe accepts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a probe accepts no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
