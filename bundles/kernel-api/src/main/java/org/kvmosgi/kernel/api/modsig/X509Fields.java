package org.kvmosgi.kernel.api.modsig;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the kernel reads of an X.509 certificate to file it in a keyring (x509_cert_parse):
 * the raw issuer and subject names, the serial number and the subject key identifier,
 * taken from the DER directly. Parsing them this way costs no security provider at boot;
 * checking a signature with the certificate is left to the JDK.
 *
 * @param issuer the issuer Name, DER, as the certificate holds it
 * @param serial the serial number
 * @param subject the subject Name, DER
 * @param subjectKeyId the SubjectKeyIdentifier extension's key id, or null when there is none
 * @param encoded the whole certificate
 */
public record X509Fields(byte[] issuer, BigInteger serial, byte[] subject, byte[] subjectKeyId, byte[] encoded) {
    static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    /** [3] constructed, context-specific: the extensions of a v3 certificate. */
    private static final int CONTEXT_3 = 0xa3;

    /**
     * Parses one certificate.
     *
     * @throws ModuleSignature.Malformed when it is no X.509 certificate
     */
    public static X509Fields parse(byte[] der) throws ModuleSignature.Malformed {
        try {
            Der.Tlv tbs = Der.parse(der).child(0, Der.SEQUENCE);
            List<Der.Tlv> f = tbs.children();
            int i = !f.isEmpty() && f.get(0).tag() == Der.CONTEXT_0 ? 1 : 0;
            BigInteger serial = new BigInteger(tbs.child(i, Der.INTEGER).value());
            byte[] issuer = tbs.child(i + 2, Der.SEQUENCE).encoded();
            byte[] subject = tbs.child(i + 4, Der.SEQUENCE).encoded();
            byte[] skid = null;
            for (Der.Tlv t : f) {
                if (t.tag() == CONTEXT_3) {
                    for (Der.Tlv ext : t.child(0, Der.SEQUENCE).children()) {
                        List<Der.Tlv> e = ext.children();
                        if (Der.oid(e.get(0)).equals(SUBJECT_KEY_IDENTIFIER)) {
                            skid = Der.parse(e.get(e.size() - 1).value()).value();
                        }
                    }
                }
            }
            return new X509Fields(issuer, serial, subject, skid, der.clone());
        } catch (Der.Malformed | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ModuleSignature.Malformed("not an X.509 certificate: " + e.getMessage());
        }
    }

    /** Splits a list of DER certificates laid end to end (a compiled-in certificate list). */
    public static List<byte[]> split(byte[] list) throws ModuleSignature.Malformed {
        try {
            return Der.parseAll(list).stream().map(Der.Tlv::encoded).toList();
        } catch (Der.Malformed e) {
            throw new ModuleSignature.Malformed(e.getMessage());
        }
    }

    /**
     * The first value of an attribute ({@link ModuleSignature#OID_CN}, ...) in a DER
     * X.509 Name, or null: read from the DER, not a string form, so no escaping gets in the way.
     */
    public static String nameAttribute(byte[] name, String oid) {
        try {
            for (Der.Tlv rdn : Der.parse(name).children()) {
                for (Der.Tlv atv : rdn.children()) {
                    List<Der.Tlv> kv = atv.children();
                    if (kv.size() == 2 && Der.oid(kv.get(0)).equals(oid)) {
                        Der.Tlv v = kv.get(1);
                        return new String(v.value(), v.tag() == 0x1e ? StandardCharsets.UTF_16BE
                                : v.tag() == 0x0c ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                    }
                }
            }
        } catch (Der.Malformed e) {
            return null;
        }
        return null;
    }

    /** The serial number's magnitude, as BN_bn2bin gives it (no sign byte). */
    public static byte[] magnitude(BigInteger serial) {
        byte[] b = serial.toByteArray();
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
