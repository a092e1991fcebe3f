package org.kvmosgi.diag.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The consistency rules user space can check beyond the kernel's own list
 * (/sys/kernel/debug/kvmosgi/invariants), one violation a line:
 * <ul>
 * <li>/dev/kvm is present exactly when the layout's device owner is live ({@link KvmLayout});
 * <li>an ops table in use (an exported {@code *_ops} symbol that names its owner) belongs
 * to a live module (or one built into the image);
 * <li>nothing threw past a system call: the kernel prints {@code BUG:} when a driver's
 * open, ioctl or release, or a module's init or exit, threw.
 * </ul>
 */
public final class Checks {
    private Checks() {}


    /**
     * @param kernel the kernel's own violations
     * @param opsOwners exported ops tables in use: symbol → the module whose ops are installed ("" for none)
     * @param dmesg the kernel log lines
     */
    public static List<String> check(Snapshot s, List<String> kernel, Map<String, String> opsOwners,
            List<String> dmesg) {
        List<String> out = new ArrayList<>(kernel);
        KvmLayout layout = KvmLayout.detect(s.files());
        if (layout.kind() != KvmLayout.Kind.NONE) {
            boolean present = s.devices().contains("kvm");
            boolean expected = layout.deviceExpected(s::live);
            List<String> owners = layout.deviceOwners();
            if (present && !expected) {
                out.add("kvm: /dev/kvm is present but none of " + String.join(", ", owners) + " is live");
            } else if (!present && expected) {
                out.add("kvm: /dev/kvm is absent although " + String.join(" or ", owners.stream().filter(s::live)
                        .toList()) + " is live");
            }
        }
        opsOwners.forEach((symbol, owner) -> {
            if (owner != null && !owner.isEmpty() && !s.live(owner)) {
                out.add("ops: " + symbol + " dispatches to " + Snapshot.modname(owner) + ", which is "
                        + s.loaded(owner).map(l -> l.state().toLowerCase(java.util.Locale.ROOT)).orElse("not loaded"));
            }
        });
        for (String line : dmesg) {
            int i = line.indexOf("BUG: ");
            if (i >= 0) {
                out.add("dmesg: " + line.substring(i));
            }
        }
        return out;
    }
}
