package org.kvmosgi.kvm.ppc.module.unified;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The build-time choice of the unified kvm.ko: which of HV and PR are built in
 * (CONFIG_KVM_BOOK3S_64_HV, CONFIG_KVM_BOOK3S_64_PR). It is the {@value #RESOURCE}
 * resource bnd packs into each variant of the bundle, in .config syntax: the same
 * classes, configured at build time as Kconfig does, not a load-time parameter.
 */
public record Kconfig(boolean hv, boolean pr) {
    public static final String RESOURCE = "kvmosgi/kconfig";

    /** Parses .config lines: {@code CONFIG_X=y}; {@code # CONFIG_X is not set} and absence mean n. */
    public static Kconfig parse(String text) {
        boolean hv = false, pr = false;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.equals("CONFIG_KVM_BOOK3S_64_HV=y")) {
                hv = true;
            } else if (l.equals("CONFIG_KVM_BOOK3S_64_PR=y")) {
                pr = true;
            }
        }
        return new Kconfig(hv, pr);
    }

    /** The configuration packed with this class's bundle, or null when there is none. */
    public static Kconfig packed(Class<?> c) {
        try (InputStream in = c.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? null : parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }
}
