package org.kvmosgi.kernel.api.modsig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The signature a module file carries, read without verifying it: what
 * {@code struct module_signature} and its PKCS#7 message say (the kernel's
 * mod_check_sig and kmod's kmod_module_signature_info read the same fields).
 *
 * <p>A module file is a signed JAR: {@code META-INF/NAME.SF} holds the digests of every
 * entry, and {@code META-INF/NAME.RSA} (or {@code .EC}, {@code .DSA}) a PKCS#7 SignedData
 * over that file, with the signer's certificate. This is what Linux's
 * {@code ~Module signature appended~} trailer holds: a PKCS#7 message and the key's
 * identity. Whether the signature is valid, and whose key it is, is the kernel's business.
 */
public final class ModuleSignature {
    /** sig_id of a PKCS#7 signature (kmod's pkey_id_type names). */
    public static final String PKCS7 = "PKCS#7";
    static final String SIGNED_DATA = "1.2.840.113549.1.7.2";
    public static final String OID_CN = "2.5.4.3";
    public static final String OID_O = "2.5.4.10";
    public static final String OID_EMAIL = "1.2.840.113549.1.9.1";
    private static final Map<String, String> HASH_ALGOS = Map.of(
            "1.3.14.3.2.26", "sha1", "2.16.840.1.101.3.4.2.4", "sha224", "2.16.840.1.101.3.4.2.1", "sha256",
            "2.16.840.1.101.3.4.2.2", "sha384", "2.16.840.1.101.3.4.2.3", "sha512");

    /** A signature file with no PKCS#7 block beside it, or a block that is no SignedData: -ENOPKG. */
    public static final class NotPkcs7 extends Exception {
        private static final long serialVersionUID = 1L;

        NotPkcs7(String message) {
            super(message, null, false, false);
        }
    }

    /** A PKCS#7 block that does not parse: -EBADMSG. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final String signatureFile;
    private final byte[] issuer;
    private final BigInteger serial;
    private final String hashAlgo;
    private final byte[] signature;
    private final List<X509Fields> certificates;

    private ModuleSignature(String signatureFile, byte[] issuer, BigInteger serial, String hashAlgo,
            byte[] signature, List<X509Fields> certificates) {
        this.signatureFile = signatureFile;
        this.issuer = issuer;
        this.serial = serial;
        this.hashAlgo = hashAlgo;
        this.signature = signature;
        this.certificates = certificates;
    }

    /**
     * The signature of the module file {@code file}, or null when it carries none.
     *
     * @throws IOException the file cannot be read as a module file
     * @throws NotPkcs7 a signature file without a PKCS#7 SignedData block
     * @throws Malformed a PKCS#7 block that does not parse
     */
    public static ModuleSignature read(Path file) throws IOException, NotPkcs7, Malformed {
        return read(Files.readAllBytes(file));
    }

    /**
     * The signature of a module file's content, or null when it carries none. With several
     * signers, the first signature file by name is the one read.
     *
     * @throws IOException the content is no module file (no ZIP archive)
     * @throws NotPkcs7 a signature file without a PKCS#7 SignedData block
     * @throws Malformed a PKCS#7 block that does not parse
     */
    public static ModuleSignature read(byte[] file) throws IOException, NotPkcs7, Malformed {
        // the signature files are META-INF's top level: keep those entries only
        Map<String, byte[]> meta = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String n = e.getName();
                if (n.startsWith("META-INF/") && n.indexOf('/', "META-INF/".length()) < 0) {
                    meta.put(n, zip.readAllBytes());
                }
            }
        }
        String sf = meta.keySet().stream().filter(ModuleSignature::isSignatureFile).findFirst().orElse(null);
        if (sf == null) {
            return null;
        }
        String base = sf.substring(0, sf.length() - ".SF".length());
        for (String ext : new String[] {".RSA", ".EC", ".DSA"}) {
            byte[] block = meta.get(base + ext);
            if (block != null) {
                return parse(sf, block);
            }
        }
        throw new NotPkcs7(sf + " has no PKCS#7 block beside it");
    }

    /** META-INF/NAME.SF: a signature file of the JAR (not one in a subdirectory). */
    static boolean isSignatureFile(String name) {
        return name.startsWith("META-INF/") && name.indexOf('/', "META-INF/".length()) < 0
                && name.toUpperCase(Locale.ROOT).endsWith(".SF");
    }

    /** Parses a PKCS#7 ContentInfo holding SignedData (RFC 2315), the first SignerInfo being the signer. */
    static ModuleSignature parse(String signatureFile, byte[] block) throws NotPkcs7, Malformed {
        Der.Tlv signerInfo;
        List<X509Fields> certs = new ArrayList<>();
        try {
            Der.Tlv contentInfo = Der.parse(block);
            if (contentInfo.tag() != Der.SEQUENCE) {
                throw new Malformed("ContentInfo is not a SEQUENCE");
            }
            List<Der.Tlv> ci = contentInfo.children();
            if (ci.isEmpty() || ci.get(0).tag() != Der.OID) {
                throw new Malformed("ContentInfo has no content type");
            }
            if (!Der.oid(ci.get(0)).equals(SIGNED_DATA)) {
                throw new NotPkcs7("content type " + Der.oid(ci.get(0)) + " is not SignedData");
            }
            if (ci.size() < 2 || ci.get(1).tag() != Der.CONTEXT_0) {
                throw new Malformed("ContentInfo has no content");
            }
            Der.Tlv signedData = ci.get(1).child(0, Der.SEQUENCE);
            List<Der.Tlv> sd = signedData.children();
            Der.Tlv signerInfos = sd.get(sd.size() - 1);
            if (sd.size() < 4 || signerInfos.tag() != Der.SET) {
                throw new Malformed("SignedData has no signerInfos");
            }
            for (Der.Tlv t : sd) {
                if (t.tag() == Der.CONTEXT_0) {
                    for (Der.Tlv c : t.children()) {
                        certs.add(X509Fields.parse(c.encoded()));
                    }
                }
            }
            List<Der.Tlv> infos = signerInfos.children();
            if (infos.isEmpty()) {
                throw new Malformed("SignedData has no SignerInfo");
            }
            signerInfo = infos.get(0);
            List<Der.Tlv> si = signerInfo.children();
            Der.Tlv issuerAndSerial = signerInfo.child(1, Der.SEQUENCE);
            byte[] issuer = issuerAndSerial.child(0, Der.SEQUENCE).encoded();
            BigInteger serial = new BigInteger(issuerAndSerial.child(1, Der.INTEGER).value());
            String digestOid = Der.oid(signerInfo.child(2, Der.SEQUENCE).child(0, Der.OID));
            Der.Tlv encryptedDigest = null;
            for (int i = 3; i < si.size(); i++) {
                if (si.get(i).tag() == Der.OCTET_STRING) {
                    encryptedDigest = si.get(i);
                    break;
                }
            }
            if (encryptedDigest == null) {
                throw new Malformed("SignerInfo has no encryptedDigest");
            }
            return new ModuleSignature(signatureFile, issuer, serial, HASH_ALGOS.getOrDefault(digestOid, "unknown"),
                    encryptedDigest.value(), List.copyOf(certs));
        } catch (Der.Malformed | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new Malformed(e.getMessage());
        }
    }

    /** The signature file this was read from ({@code META-INF/SIGNING_.SF}). */
    public String signatureFile() {
        return signatureFile;
    }

    /** sig_id: the kind of signature. */
    public String idType() {
        return PKCS7;
    }

    /** signer: the common name of the signing key's issuer, as kmod prints it. */
    public String signer() {
        String cn = X509Fields.nameAttribute(issuer, OID_CN);
        return cn == null ? "" : cn;
    }

    /** sig_key: the key's identity, the serial number of the issuer-and-serial the signer names. */
    public byte[] keyId() {
        return X509Fields.magnitude(serial);
    }

    /** sig_hashalgo: the digest the signature is over ({@code sha256}, ...; {@code unknown} otherwise). */
    public String hashAlgo() {
        return hashAlgo;
    }

    /** signature: the signature bytes themselves. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The issuer Name the SignerInfo names, DER: with the serial, the key's identity (asymmetric_key_generate_id). */
    public byte[] issuer() {
        return issuer.clone();
    }

    public BigInteger serial() {
        return serial;
    }

    /** The certificates the PKCS#7 message carries. */
    public List<X509Fields> certificates() {
        return certificates;
    }

    /** The carried certificate the SignerInfo names by issuer and serial, or null. */
    public X509Fields signerCertificate() {
        for (X509Fields c : certificates) {
            if (Arrays.equals(c.issuer(), issuer) && c.serial().equals(serial)) {
                return c;
            }
        }
        return null;
    }
}
