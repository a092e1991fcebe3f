package org.kvmosgi.kernel.module;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jdk.security.jarsigner.JarSigner;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.modsig.ModuleSignature;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.keys.Keyring;

/**
 * module_sig_check and mod_verify_sig on module files signed here with the build's two
 * keys (the kernel's and an untrusted one, made by the parent POM): each way a signature
 * can be missing or wrong gives the kernel's errno, and the policy gives its message.
 */
public class ModuleSigningTest {
    private static KeyStore.PrivateKeyEntry trusted;
    private static KeyStore.PrivateKeyEntry untrusted;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<String> log = new ArrayList<>();
    private final Printk printk = (level, fmt, args) -> log.add(String.format(fmt, args));

    @BeforeClass
    public static void keys() throws Exception {
        trusted = key(System.getProperty("kernel.signing.keystore"));
        untrusted = key(System.getProperty("kernel.signing.untrusted"));
    }

    private static KeyStore.PrivateKeyEntry key(String keystore) throws Exception {
        char[] pass = System.getProperty("kernel.signing.storepass").toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(keystore))) {
            ks.load(in, pass);
        }
        return (KeyStore.PrivateKeyEntry) ks.getEntry("signing_key", new KeyStore.PasswordProtection(pass));
    }

    private Keyring keys;

    @Before
    public void builtinKeyring() throws Exception {
        keys = builtinKeys();
        log.clear();
    }

    private Keyring builtinKeys() throws Exception {
        return Keyring.load(Keyring.BUILTIN_TRUSTED_KEYS, trusted.getCertificate().getEncoded(), printk);
    }

    /** A module-like jar: a manifest, a class-named entry and a resource. */
    private Path module(String name) throws IOException {
        Path jar = tmp.getRoot().toPath().resolve(name + ".jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            put(out, "org/example/Mod.class", "not really a class");
            put(out, "org/example/firmware.txt", "firmware");
        }
        return jar;
    }

    private static void put(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    /** jarsigner with the key of {@code entry}, as the build signs module bundles (SHA256withRSA). */
    private Path sign(Path jar, KeyStore.PrivateKeyEntry entry) throws Exception {
        Path signed = jar.resolveSibling("signed-" + jar.getFileName());
        PrivateKey pk = entry.getPrivateKey();
        JarSigner signer = new JarSigner.Builder(pk,
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(entry.getCertificateChain())))
                .digestAlgorithm("SHA-256").signatureAlgorithm("SHA256withRSA").build();
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
            signer.sign(in, out);
        }
        return signed;
    }

    /** A copy of {@code jar} with each entry's bytes passed through {@code change} (null drops it). */
    private Path rewrite(Path jar, BiFunction<String, byte[], byte[]> change, Map<String, String> add) throws IOException {
        Path out = jar.resolveSibling("changed-" + jar.getFileName());
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                byte[] bytes = change.apply(entry.getName(), in.getInputStream(entry).readAllBytes());
                if (bytes != null) {
                    zout.putNextEntry(new ZipEntry(entry.getName()));
                    zout.write(bytes);
                    zout.closeEntry();
                }
            }
            for (Map.Entry<String, String> a : add.entrySet()) {
                put(zout, a.getKey(), a.getValue());
            }
        }
        return out;
    }

    private int verify(Path jar) throws Exception {
        return ModuleSigning.verify(jar, keys, printk);
    }

    @Test
    public void theBuildsKeyVerifiesAndIsWhatTheSignatureNames() throws Exception {
        Path signed = sign(module("mod_ok"), trusted);
        assertEquals(0, verify(signed));
        ModuleSignature sig = ModuleSignature.read(signed);
        X509Certificate cert = (X509Certificate) trusted.getCertificate();
        assertEquals("PKCS#7", sig.idType());
        assertEquals("Build time autogenerated kernel key", sig.signer());
        assertEquals("sha256", sig.hashAlgo());
        assertEquals(cert.getSerialNumber(), new java.math.BigInteger(1, sig.keyId()));
        assertEquals("an RSA 4096 signature", 512, sig.signature().length);
        assertArrayEquals(cert.getEncoded(), sig.signerCertificate().encoded());
        assertArrayEquals(cert.getIssuerX500Principal().getEncoded(), sig.issuer());
    }

    @Test
    public void anUnsignedFileHasNoData() throws Exception {
        Path jar = module("mod_plain");
        assertNull(ModuleSignature.read(jar));
        assertEquals(Errno.ENODATA.neg(), verify(jar));
    }

    @Test
    public void aKeyTheKeyringLacksIsUnavailableEvenWhenTheContentsChangedToo() throws Exception {
        Path signed = sign(module("mod_other"), untrusted);
        assertEquals(Errno.ENOKEY.neg(), verify(signed));
        Path changed = rewrite(signed, (n, b) -> n.endsWith("firmware.txt") ? "x".getBytes() : b, Map.of());
        assertEquals("trust is checked before the contents", Errno.ENOKEY.neg(), verify(changed));
    }

    @Test
    public void anEntryChangedAddedOrRemovedAfterSigningIsRejected() throws Exception {
        Path signed = sign(module("mod_t"), trusted);
        assertEquals(Errno.EKEYREJECTED.neg(),
                verify(rewrite(signed, (n, b) -> n.endsWith("firmware.txt") ? "changed".getBytes() : b, Map.of())));
        assertEquals(Errno.EKEYREJECTED.neg(),
                verify(rewrite(signed, (n, b) -> b, Map.of("org/example/Extra.class", "added"))));
        assertEquals(Errno.EKEYREJECTED.neg(),
                verify(rewrite(signed, (n, b) -> n.endsWith("firmware.txt") ? null : b, Map.of())));
        assertEquals("nothing printed for a bad signature", List.of(), log);
    }

    @Test
    public void aBlockThatDoesNotParseIsABadMessageAndOneMissingIsUnsupported() throws Exception {
        Path signed = sign(module("mod_b"), trusted);
        Path garbage = rewrite(signed, (n, b) -> n.endsWith(".RSA") ? new byte[] {0x30, 0x03, 1, 2} : b, Map.of());
        assertEquals(Errno.EBADMSG.neg(), verify(garbage));
        log.clear();
        Path noBlock = rewrite(signed, (n, b) -> n.endsWith(".RSA") ? null : b, Map.of());
        assertEquals(Errno.ENOPKG.neg(), verify(noBlock));
        assertTrue(log.contains("module: not signed with expected PKCS#7 message"));
    }

    @Test
    public void notEnforcedAnUnsignedModuleLoadsWithoutSigOk() throws Exception {
        ModuleSigning s = new ModuleSigning(keys, "", printk);
        assertFalse(s.enforced());
        assertEquals(new ModuleSigning.Check(0, false), s.check(module("mod_u"), null, 0));
        assertEquals(new ModuleSigning.Check(0, false), s.check(sign(module("mod_w"), untrusted), null, 0));
        assertEquals(new ModuleSigning.Check(0, false), s.check(null, null, 0));
        assertEquals("a file that is gone", new ModuleSigning.Check(0, false),
                s.check(tmp.getRoot().toPath().resolve("gone.ko"), null, 0));
        assertEquals(new ModuleSigning.Check(0, true), s.check(sign(module("mod_s"), trusted), null, 0));
        assertEquals(List.of(), log);
    }

    @Test
    public void enforcedEachReasonIsRejectedWithTheKernelsLine() throws Exception {
        ModuleSigning s = new ModuleSigning(keys, "quiet module.sig_enforce=1", printk);
        assertTrue(s.enforced());
        assertEquals(Errno.EKEYREJECTED.neg(), s.check(module("mod_u"), null, 0).err());
        assertEquals(Errno.EKEYREJECTED.neg(), s.check(sign(module("mod_w"), untrusted), null, 0).err());
        assertEquals(List.of("Loading of unsigned module is rejected",
                "Loading of module with unavailable key is rejected"), log);
        Path signed = sign(module("mod_s"), trusted);
        assertEquals(new ModuleSigning.Check(0, true), s.check(signed, null, 0));
        log.clear();
        assertEquals("a forced load is not the module that was signed", Errno.EKEYREJECTED.neg(),
                s.check(signed, null, Syscalls.MODULE_INIT_IGNORE_VERMAGIC).err());
        assertEquals(List.of("Loading of unsigned module is rejected"), log);
    }

    @Test
    public void aBadSignatureIsRefusedSilentlyEnforcedOrNot() throws Exception {
        Path tampered = rewrite(sign(module("mod_t"), trusted),
                (n, b) -> n.endsWith("firmware.txt") ? "changed".getBytes() : b, Map.of());
        for (String cmdline : new String[] {"", "module.sig_enforce"}) {
            ModuleSigning s = new ModuleSigning(keys, cmdline, printk);
            assertEquals(new ModuleSigning.Check(Errno.EKEYREJECTED.neg(), false), s.check(tampered, null, 0));
            assertEquals(List.of(), log);
        }
    }

    @Test
    public void aFilesVerificationIsKeptPerVersionAndMadeAgainWhenTheFileChanged() throws Exception {
        ModuleSigning s = new ModuleSigning(keys, "", printk);
        Path file = sign(module("mod_v"), trusted);
        FileVersion signed = FileVersion.of(file);
        assertEquals(new ModuleSigning.Check(0, true), s.check(file, signed, 0));
        // the same file replaced by one whose signature does not verify: finit_module's stat shows
        // another version, and the check reads the new file
        Path tampered = rewrite(file, (n, b) -> n.endsWith("firmware.txt") ? "changed".getBytes() : b, Map.of());
        Files.move(tampered, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        FileVersion now = FileVersion.of(file);
        assertNotEquals(signed, now);
        assertEquals(new ModuleSigning.Check(Errno.EKEYREJECTED.neg(), false), s.check(file, now, 0));
        // a start that did not come through finit_module stats the file itself
        assertEquals(new ModuleSigning.Check(Errno.EKEYREJECTED.neg(), false), s.check(file, null, 0));
    }

    @Test
    public void sigEnforceCanBeSetButNeverCleared() throws Exception {
        ModuleSigning s = new ModuleSigning(keys, "", printk);
        assertEquals(0, s.setEnforce("0"));
        assertFalse(s.enforced());
        assertEquals(Errno.EINVAL.neg(), s.setEnforce("maybe"));
        assertEquals(0, s.setEnforce("Y"));
        assertTrue(s.enforced());
        assertEquals(Errno.EROFS.neg(), s.setEnforce("N"));
        assertTrue(s.enforced());
        assertEquals("Y", s.params().get(s.params().find(ModuleSigning.SIG_ENFORCE)));
        assertEquals(0, s.setEnforce("1"));
    }

    @Test
    public void theKeyringDescribesKeysAsX509KeyPreparseDoes() throws Exception {
        Keyring k = builtinKeys();
        X509Certificate cert = (X509Certificate) trusted.getCertificate();
        String skid = java.util.HexFormat.of().formatHex(
                java.util.Arrays.copyOfRange(cert.getExtensionValue("2.5.29.14"), 4, 24));
        assertEquals(List.of("Loaded X.509 cert 'Build time autogenerated kernel key: " + skid + "'"), log);
        assertNotNull(k.find(cert.getIssuerX500Principal().getEncoded(), cert.getSerialNumber()));
        X509Certificate other = (X509Certificate) untrusted.getCertificate();
        assertNull(k.find(other.getIssuerX500Principal().getEncoded(), other.getSerialNumber()));
        // O and CN that do not share a prefix: "O: CN"
        Keyring both = Keyring.load("test", other.getEncoded(), printk);
        assertTrue(both.keys().get(0).description(),
                both.keys().get(0).description().startsWith("kvm-osgi tests: Untrusted module signing key: "));
    }

    @Test
    public void theKernelBundleCarriesTheBuildsCertificate() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(Keyring.SYSTEM_CERTIFICATES)) {
            assertNotNull("certs/signing_key.x509 in the kernel's classes", in);
            assertArrayEquals(trusted.getCertificate().getEncoded(), in.readAllBytes());
        }
    }
}
