package org.kvmosgi.kernel.module;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.Printk;
import org.kvmosgi.kernel.api.modinfo.ParamType;
import org.kvmosgi.kernel.api.modsig.ModuleSignature;
import org.kvmosgi.kernel.api.modsig.X509Fields;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.keys.Keyring;
import org.kvmosgi.kernel.param.ParamArgs;
import org.kvmosgi.kernel.param.ParamSpec;
import org.kvmosgi.kernel.param.ParamValues;

/**
 * kernel/module/signing.c: {@code module.sig_enforce} and module_sig_check, the first step
 * of every load. A module file's signature is checked against the
 * {@code .builtin_trusted_keys} keyring: unsigned, unsupported or signed with a key the
 * keyring lacks is refused when enforced (-EKEYREJECTED) and taints the kernel (E)
 * otherwise; a signature that does not verify refuses the load either way.
 */
public final class ModuleSigning {
    /** The directory {@code /sys/module/module/parameters} is under (MODULE_PARAM_PREFIX "module."). */
    public static final String SYSFS_NAME = "module";
    public static final String SIG_ENFORCE = "sig_enforce";

    /** What module_sig_check decided: 0 or the load's -errno, and info->sig_ok. */
    record Check(int err, boolean sigOk) {}

    /** One version of a module file (size, time, inode) and its verification's result. */
    private record Verified(FileVersion version, int err) {}

    private final Keyring keyring;
    private final Printk printk;
    private final ParamValues params = new ParamValues(List.of(
            new ParamSpec(SIG_ENFORCE, ParamType.BOOL, "N", 0644, "")));
    private final ParamSpec sigEnforce = params.find(SIG_ENFORCE);
    /**
     * Verification results by file: a kept module file is verified once per version of it,
     * not at every load (the keyring does not change after boot, so the answer cannot).
     */
    private final Map<Path, Verified> verified = new ConcurrentHashMap<>();

    /** {@code module.sig_enforce} from the kernel command line (bool_enable_only, default N). */
    public ModuleSigning(Keyring keyring, String cmdline, Printk printk) {
        this.keyring = keyring;
        this.printk = printk;
        for (ParamArgs.Arg a : ParamArgs.split(cmdline)) {
            if (a.name().replace('-', '_').equals(SYSFS_NAME + "." + SIG_ENFORCE) && setEnforce(a.value()) < 0) {
                printk.err("Booting kernel: `%s' invalid for parameter `%s'", a.value() == null ? "" : a.value(),
                        a.name());
            }
        }
    }

    public Keyring keyring() {
        return keyring;
    }

    /** /sys/module/module/parameters: sig_enforce. */
    public ParamValues params() {
        return params;
    }

    /** is_module_sig_enforced. */
    public boolean enforced() {
        return params.bool(SIG_ENFORCE);
    }

    /**
     * param_set_bool_enable_only: a bool that can be set but never cleared again
     * (-EROFS), so that a booted kernel cannot be talked out of enforcing.
     */
    public synchronized int setEnforce(String value) {
        boolean was = enforced();
        int r = params.set(sigEnforce, value);
        if (r < 0) {
            return r;
        }
        if (was && !enforced()) {
            params.set(sigEnforce, "Y");
            return Errno.EROFS.neg();
        }
        return 0;
    }

    /**
     * module_sig_check: the module file's signature verified (or the reason it cannot be),
     * then the policy: enforced, an unsigned module, one with unsupported crypto or with
     * an unavailable key is rejected; otherwise the load goes on without sig_ok. Every
     * other error (a bad signature, a malformed one) refuses the load and prints nothing.
     * {@code file} is the module's file; null when its bundle came from elsewhere (unsigned).
     * {@code version} is what finit_module's stat of it found; null (a start that did not
     * come through finit_module) stats it here.
     */
    Check check(Path file, FileVersion version, int flags) {
        int err = Errno.ENODATA.neg();
        // a load that ignores modversions or vermagic is no longer the module that was signed
        boolean mangled = (flags & (Syscalls.MODULE_INIT_IGNORE_MODVERSIONS
                | Syscalls.MODULE_INIT_IGNORE_VERMAGIC)) != 0;
        if (!mangled && file != null) {
            err = verifyCached(file, version);
            if (err == 0) {
                return new Check(0, true);
            }
        }
        String reason;
        if (err == Errno.ENODATA.neg()) {
            reason = "unsigned module";
        } else if (err == Errno.ENOPKG.neg()) {
            reason = "module with unsupported crypto";
        } else if (err == Errno.ENOKEY.neg()) {
            reason = "module with unavailable key";
        } else {
            return new Check(err, false);
        }
        if (enforced()) {
            printk.notice("Loading of %s is rejected", reason);
            return new Check(Errno.EKEYREJECTED.neg(), false);
        }
        // security_locked_down(LOCKDOWN_MODULE_SIGNATURE): the model has no lockdown
        return new Check(0, false);
    }

    private int verifyCached(Path file, FileVersion version) {
        FileVersion now = version;
        if (now == null) {
            try {
                now = FileVersion.of(file);
            } catch (IOException e) {
                return Errno.ENODATA.neg();
            }
        }
        Verified v = verified.get(file);
        if (v == null || !v.version().equals(now)) {
            v = new Verified(now, verify(file, keyring, printk));
            verified.put(file, v);
        }
        return v.err();
    }

    /**
     * mod_verify_sig: 0 when the file is signed by a key of {@code keys} and nothing in it
     * changed since; -ENODATA unsigned, -ENOPKG not PKCS#7 (with mod_check_sig's message),
     * -EBADMSG a malformed PKCS#7 block, -ENOKEY a key the keyring lacks (checked before the
     * contents, as pkcs7_validate_trust runs before the signature is checked against the
     * key), -EKEYREJECTED a signature that does not verify: an entry changed, added or
     * removed after signing, or a certificate that is not the keyring's.
     */
    static int verify(Path file, Keyring keys, Printk printk) {
        ModuleSignature sig;
        try {
            sig = ModuleSignature.read(file);
        } catch (ModuleSignature.NotPkcs7 e) {
            printk.err("module: not signed with expected PKCS#7 message");
            return Errno.ENOPKG.neg();
        } catch (ModuleSignature.Malformed e) {
            return Errno.EBADMSG.neg();
        } catch (IOException e) {
            return Errno.ENODATA.neg();
        }
        if (sig == null) {
            return Errno.ENODATA.neg();
        }
        Keyring.Key key = keys.find(sig.issuer(), sig.serial());
        if (key == null) {
            return Errno.ENOKEY.neg();
        }
        X509Fields carried = sig.signerCertificate();
        if (carried == null || !Arrays.equals(key.certificate().encoded(), carried.encoded())) {
            // the message names the keyring's key but carries another certificate: its signature is not that key's
            return Errno.EKEYREJECTED.neg();
        }
        try (JarFile jar = new JarFile(file.toFile(), true)) {
            Manifest mf = jar.getManifest();
            if (mf == null) {
                return Errno.EKEYREJECTED.neg();
            }
            for (String signedName : mf.getEntries().keySet()) {
                if (jar.getEntry(signedName) == null) {
                    return Errno.EKEYREJECTED.neg();
                }
            }
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                // reading an entry to its end checks its digest: a mismatch throws SecurityException
                try (InputStream in = jar.getInputStream(entry)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                if (entry.isDirectory() || isSignatureRelated(entry.getName())) {
                    continue;
                }
                if (!signedBy(entry.getCodeSigners(), key)) {
                    return Errno.EKEYREJECTED.neg();
                }
            }
        } catch (SecurityException e) {
            return Errno.EKEYREJECTED.neg();
        } catch (IOException e) {
            return Errno.EBADMSG.neg();
        }
        return 0;
    }

    private static boolean signedBy(CodeSigner[] signers, Keyring.Key key) {
        if (signers == null) {
            return false;
        }
        for (CodeSigner s : signers) {
            List<? extends java.security.cert.Certificate> path = s.getSignerCertPath().getCertificates();
            try {
                if (!path.isEmpty() && Arrays.equals(path.get(0).getEncoded(), key.certificate().encoded())) {
                    return true;
                }
            } catch (java.security.cert.CertificateEncodingException e) {
                // not the keyring's certificate
            }
        }
        return false;
    }

    /** The manifest and the signature files themselves, which the signature does not cover. */
    private static boolean isSignatureRelated(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (!n.startsWith("META-INF/") || n.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return n.equals("META-INF/MANIFEST.MF") || n.endsWith(".SF") || n.endsWith(".RSA") || n.endsWith(".DSA")
                || n.endsWith(".EC") || n.startsWith("META-INF/SIG-");
    }
}
