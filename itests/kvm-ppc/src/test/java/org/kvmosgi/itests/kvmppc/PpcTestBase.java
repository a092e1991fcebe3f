package org.kvmosgi.itests.kvmppc;

import static org.junit.Assert.assertEquals;
import static org.kvmosgi.kvm.api.KvmIoctl.*;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvm.api.KvmUserspaceMemoryRegion;
import org.kvmosgi.kvm.ppc.api.PpcKvm;
import org.kvmosgi.kvmtool.guest.PowerAsm;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.kit.Kernel;
import org.kvmosgi.testsupport.kit.Shell;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.apache.felix.feature.impl.FeatureServiceImpl;
import org.osgi.service.feature.ID;

/**
 * What the Book3S tests share: a POWER host with a kvm-ppc feature (its modules laid out,
 * its bundles — the KVM headers and the VMM — started), test-support's kit on the injected
 * services ({@code sh} runs shell lines, {@code kernel} reads dmesg and /proc/modules), guests
 * set up as a VMM does, and a cleanup that unloads the KVM modules.
 */
public abstract class PpcTestBase {

    @Inject
    protected BundleContext context;

    @Inject
    protected Syscalls sys;

    @Inject
    protected CommandProcessor processor;

    protected Shell sh;
    protected Kernel kernel;

    /**
     * The platform on {@code host} with a kvm-ppc feature ({@code kvm-ppc} or {@code kvm-ppc-unified}).
     * The system property {@code kvm.dispatch} ({@code mvn -Dkvm.dispatch=static_call ...}) puts
     * {@code kvm.dispatch=} on the kernel command line, so that the whole suite runs under one style.
     */
    static Option ppc(String host, String feature) {
        List<Option> opts = new ArrayList<>(List.of(KvmOsgi.platform(), KvmOsgi.host(host), KvmOsgi.feature(feature),
                KvmOsgi.featureBundles(feature)));
        String style = System.getProperty("kvm.dispatch");
        if (style != null) {
            opts.add(KvmOsgi.cmdline("kvm.dispatch=" + style));
        }
        return composite(opts.toArray(new Option[0]));
    }

    /**
     * Copies one classified kvm-ppc bundle (e.g. {@code kvm-unified-hv}) to {@code /opt/DIR/kvm.ko}
     * of the test's root, outside /lib/modules, for insmod by path. Returns the model path.
     */
    static String extraModule(String classifier, String dir) {
        String version = KvmOsgi.distribution().feature("kvm-ppc").getID().getVersion();
        ID id = new FeatureServiceImpl().getIDfromMavenCoordinates("org.kvmosgi:kvm-ppc:jar:" + classifier + ":" + version);
        Path jar = KvmOsgi.distribution().artifact(id);
        Path target = KvmOsgi.root().root().resolve("opt").resolve(dir).resolve("kvm.ko");
        try {
            Files.createDirectories(target.getParent());
            Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/opt/" + dir + "/kvm.ko";
    }

    @Before
    public void kitAndClearLog() {
        sh = new Shell(processor);
        kernel = new Kernel(sys);
        kernel.clearDmesg();
    }

    @After
    public void unloadKvm() {
        kernel.unload("kvm_hv", "kvm_pr", "kvm");
    }

    /** The loaded modules' names, sorted: which modules, not the order they loaded in. */
    protected List<String> loaded() {
        return kernel.loaded().stream().sorted().toList();
    }

    protected boolean devKvm() throws ErrnoException {
        return sys.list("/dev").contains("kvm");
    }

    /** A VM with one vCPU and the code at guest address 0, as a VMM sets it up. */
    protected record Guest(int kvm, int vm, int vcpu, ByteBuffer run) {}

    protected Guest guest(long type, byte[] code) throws ErrnoException {
        int kvm = sys.open("/dev/kvm");
        int vm = (int) sys.ioctl(kvm, KVM_CREATE_VM, type);
        ByteBuffer ram = ByteBuffer.allocate(PpcKvm.PAGE_SIZE);
        ram.put(code);
        sys.ioctl(vm, KVM_SET_USER_MEMORY_REGION, new KvmUserspaceMemoryRegion(0, 0, 0, PpcKvm.PAGE_SIZE, ram));
        int vcpu = (int) sys.ioctl(vm, KVM_CREATE_VCPU, 0);
        ByteBuffer[] map = new ByteBuffer[1];
        sys.ioctl(vcpu, KVMOSGI_MMAP_VCPU, map);
        return new Guest(kvm, vm, vcpu, map[0]);
    }

    protected void close(Guest g) throws ErrnoException {
        sys.close(g.vcpu());
        sys.close(g.vm());
        sys.close(g.kvm());
    }

    /** The device register {@link #workload()} stores to and loads from. */
    static final long MMIO = 0x1000_0000L;

    /** 'H' through H_PUT_TERM_CHAR, a store and a load to a device register, then H_RTAS as power-off. */
    static byte[] workload() {
        return new PowerAsm()
                .li(3, (int) PpcKvm.H_PUT_TERM_CHAR).li(4, 0).li(5, 'H').sc(1)
                .lis(9, (int) (MMIO >>> 16)).li(10, 0x1234).stw(10, 0, 9)
                .lwz(11, 4, 9)
                .load32(3, PpcKvm.H_RTAS).mr(4, 11).sc(1)
                .bytes();
    }

    /** Runs {@link #workload()} to its power-off hcall, answering the exits as a VMM does. */
    protected void runWorkload(Guest g) throws ErrnoException {
        ByteBuffer run = g.run();
        sys.ioctl(g.vcpu(), KVM_RUN, 0);
        assertEquals(PpcKvm.KVM_EXIT_PAPR_HCALL, run.getInt(org.kvmosgi.kvm.api.KvmRunLayout.EXIT_REASON));
        assertEquals(PpcKvm.H_PUT_TERM_CHAR, run.getLong(PpcKvm.PAPR_HCALL_NR));
        assertEquals('H', run.getLong(PpcKvm.PAPR_HCALL_ARGS + 8));
        run.putLong(PpcKvm.PAPR_HCALL_RET, PpcKvm.H_SUCCESS);
        sys.ioctl(g.vcpu(), KVM_RUN, 0);
        assertEquals(org.kvmosgi.kvm.api.KvmExitReason.KVM_EXIT_MMIO,
                run.getInt(org.kvmosgi.kvm.api.KvmRunLayout.EXIT_REASON));
        assertEquals(MMIO, run.getLong(org.kvmosgi.kvm.api.KvmRunLayout.MMIO_PHYS_ADDR));
        assertEquals(0x1234, run.getInt(org.kvmosgi.kvm.api.KvmRunLayout.MMIO_DATA));
        sys.ioctl(g.vcpu(), KVM_RUN, 0);
        assertEquals(MMIO + 4, run.getLong(org.kvmosgi.kvm.api.KvmRunLayout.MMIO_PHYS_ADDR));
        run.putInt(org.kvmosgi.kvm.api.KvmRunLayout.MMIO_DATA, 0xCAFE);
        sys.ioctl(g.vcpu(), KVM_RUN, 0);
        assertEquals(PpcKvm.KVM_EXIT_PAPR_HCALL, run.getInt(org.kvmosgi.kvm.api.KvmRunLayout.EXIT_REASON));
        assertEquals(PpcKvm.H_RTAS, run.getLong(PpcKvm.PAPR_HCALL_NR));
        assertEquals(0xCAFE, run.getLong(PpcKvm.PAPR_HCALL_ARGS));
    }
}
