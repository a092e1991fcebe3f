package org.kvmosgi.kernel.fs;

import java.util.List;
import org.kvmosgi.kernel.api.host.Cpu;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.host.HostProfiles;
import org.kvmosgi.kernel.module.KModule;
import org.kvmosgi.kernel.module.KThreads;
import org.kvmosgi.kernel.module.Loader;
import org.kvmosgi.kernel.module.Taint;

/** The files of /proc the model serves, rendered as the kernel renders them. */
public final class ProcFs {
    /** The model's node name and build string (utsname nodename and version). */
    static final String HOSTNAME = "kvmosgi";
    static final String VERSION = "#1 SMP PREEMPT_DYNAMIC";
    private final String release;
    private final String cmdline;
    private final Host host;
    private final Taint taint;
    private final Loader loader;

    public ProcFs(String release, String cmdline, Host host, Taint taint, Loader loader) {
        this.release = release;
        this.cmdline = cmdline;
        this.host = host;
        this.taint = taint;
        this.loader = loader;
    }

    /** The content of /proc/PATH, or null when there is no such file. */
    String read(String path) {
        return switch (path) {
            case "/proc/modules" -> modules();
            case "/proc/cmdline" -> cmdline + "\n";
            case "/proc/version" -> "Linux version " + release + " (kvm-osgi) " + VERSION + "\n";
            case "/proc/sys/kernel/tainted" -> taint.value() + "\n";
            // what uname(2) reports: utsname's fields
            case "/proc/sys/kernel/arch" -> host.arch() + "\n";
            case "/proc/sys/kernel/hostname" -> HOSTNAME + "\n";
            case "/proc/sys/kernel/osrelease" -> release + "\n";
            case "/proc/sys/kernel/ostype" -> "Linux\n";
            case "/proc/sys/kernel/threads-max" -> KThreads.THREADS_MAX + "\n";
            case "/proc/sys/kernel/version" -> VERSION + "\n";
            case "/proc/cpuinfo" -> cpuinfo(host);
            case "/proc/kvmosgi/hosts" -> hosts();
            default -> null;
        };
    }

    static List<String> list(String dir) {
        return switch (dir) {
            case "/proc" -> List.of("cmdline", "cpuinfo", "kvmosgi", "modules", "sys", "version");
            case "/proc/sys" -> List.of("kernel");
            case "/proc/sys/kernel" -> List.of("arch", "hostname", "osrelease", "ostype", "tainted", "threads-max", "version");
            case "/proc/kvmosgi" -> List.of("hosts");
            default -> null;
        };
    }

    /** m_show() in kernel/module/procfs.c, one line per module, newest first. */
    private String modules() {
        StringBuilder sb = new StringBuilder();
        for (KModule m : loader.modules()) {
            sb.append(m.name()).append(' ').append(m.coreSize());
            loader.locked(() -> {
                sb.append(' ').append(m.refcount()).append(' ');
                boolean printed = false;
                for (String h : m.holderNames()) {
                    sb.append(h).append(',');
                    printed = true;
                }
                if (m.permanent()) {
                    sb.append("[permanent],");
                    printed = true;
                }
                if (!printed) {
                    sb.append('-');
                }
                return null;
            });
            sb.append(' ').append(m.state().proc());
            appendAddress(sb.append(" 0x"), m.address());
            String taints = m.taintString();
            if (!taints.isEmpty()) {
                sb.append(' ').append(taints);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * {@code %016lx}, as m_show() prints the base address, without a Formatter: the
     * explorer reads /proc/modules after most steps, and String.format was most of the read.
     */
    static StringBuilder appendAddress(StringBuilder sb, long address) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit((int) (address >>> shift) & 0xf, 16));
        }
        return sb;
    }

    private static String cpuinfo(Host host) {
        StringBuilder sb = new StringBuilder();
        for (Cpu c : host.cpus()) {
            sb.append("processor\t: ").append(c.id()).append('\n');
            if (host.arch().equals("x86_64")) {
                sb.append("vendor_id\t: ").append(host.cpuVendor()).append('\n');
                sb.append("model name\t: ").append(c.model()).append('\n');
                sb.append("flags\t\t: ").append(String.join(" ", c.flags())).append('\n');
            } else {
                sb.append("cpu\t\t: ").append(c.model()).append('\n');
                sb.append("features\t: ").append(String.join(" ", c.flags())).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String hosts() {
        StringBuilder sb = new StringBuilder();
        for (Host h : HostProfiles.all()) {
            sb.append(h.profile()).append('\t').append(h.arch()).append('\t').append(h.description()).append('\n');
        }
        return sb.toString();
    }
}
