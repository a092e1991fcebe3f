package org.kvmosgi.kernel.keys;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.modsig.ModuleSignature;
import org.kvmosgi.kernel.api.modsig.X509Fields;

/**
 * A keyring of X.509 keys: {@code .builtin_trusted_keys}, filled at boot with the
 * certificates compiled into the kernel (the build's module signing key, which the
 * kernel bundle carries as {@code certs/signing_key.x509}), and fixed after boot. Keys
 * are filed by the fields the kernel reads from the DER; no security provider is loaded
 * until a signature is checked.
 */
public final class Keyring {
    public static final String BUILTIN_TRUSTED_KEYS = ".builtin_trusted_keys";
    /** Where the kernel bundle carries its compiled-in certificates (DER, one after another). */
    public static final String SYSTEM_CERTIFICATES = "certs/signing_key.x509";

    /** An asymmetric key: its description ("CN: skid") and the certificate it came from. */
    public record Key(String description, X509Fields certificate) {}

    private final String name;
    private final List<Key> keys;

    private Keyring(String name, List<Key> keys) {
        this.name = name;
        this.keys = List.copyOf(keys);
    }

    /**
     * system_trusted_keyring_init and load_system_certificate_list: the builtin keyring with
     * the certificates compiled in, each reported as the kernel reports it.
     */
    public static Keyring builtinTrustedKeys(Printk pr) {
        pr.notice("Initialise system trusted keyrings");
        pr.notice("Loading compiled-in X.509 certificates");
        byte[] list;
        try (InputStream in = Keyring.class.getClassLoader().getResourceAsStream(SYSTEM_CERTIFICATES)) {
            list = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            list = new byte[0];
        }
        return load(BUILTIN_TRUSTED_KEYS, list, pr);
    }

    /** load_certificate_list: a keyring of every certificate in a DER list, each reported as it is added. */
    public static Keyring load(String name, byte[] list, Printk pr) {
        List<Key> out = new ArrayList<>();
        try {
            for (byte[] der : X509Fields.split(list)) {
                X509Fields cert = X509Fields.parse(der);
                Key key = new Key(description(cert), cert);
                out.add(key);
                pr.notice("Loaded X.509 cert '%s'", key.description());
            }
        } catch (ModuleSignature.Malformed e) {
            pr.err("Problem parsing in-kernel X.509 certificate list");
        }
        return new Keyring(name, out);
    }

    /**
     * x509_key_preparse's description: the subject as x509_fabricate_name makes it (the
     * CN, the O before it unless the CN starts with it), ": ", then the subject key
     * identifier in lower-case hex (the serial number when there is none).
     */
    static String description(X509Fields cert) {
        String cn = X509Fields.nameAttribute(cert.subject(), ModuleSignature.OID_CN);
        String o = X509Fields.nameAttribute(cert.subject(), ModuleSignature.OID_O);
        String name;
        if (cn != null && o != null) {
            boolean prefixed = cn.startsWith(o) || cn.length() >= 7 && o.length() >= 7
                    && cn.substring(0, 7).equals(o.substring(0, 7));
            name = prefixed ? cn : o + ": " + cn;
        } else if (cn != null) {
            name = cn;
        } else if (o != null) {
            name = o;
        } else {
            String email = X509Fields.nameAttribute(cert.subject(), ModuleSignature.OID_EMAIL);
            name = email == null ? "" : email;
        }
        byte[] id = cert.subjectKeyId() != null ? cert.subjectKeyId() : X509Fields.magnitude(cert.serial());
        return name + ": " + HexFormat.of().formatHex(id);
    }

    public String name() {
        return name;
    }

    public List<Key> keys() {
        return keys;
    }

    /** find_asymmetric_key by the raw issuer and serial number a signature names; null when none. */
    public Key find(byte[] issuer, BigInteger serial) {
        for (Key k : keys) {
            if (Arrays.equals(k.certificate().issuer(), issuer) && k.certificate().serial().equals(serial)) {
                return k;
            }
        }
        return null;
    }
}
