package org.kvmosgi.kernel;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.dev.FileOperations;
import org.kvmosgi.kernel.host.HostProfiles;
import org.kvmosgi.kernel.module.Checkpoint;
import org.kvmosgi.kernel.module.Taint;
import org.kvmosgi.kernel.printk.KernelLog;
import org.kvmosgi.kernel.printk.LogBuffer;

/** The subsystems that need no framework, built and used without one. */
public class KernelCoreTest {
    private static KernelCore boot(String cmdline) {
        KernelCore.Boot boot = new KernelCore.Boot(HostProfiles.get(HostProfiles.DEFAULT), "6.13.0-kvmosgi", cmdline,
                Path.of("root"), KernelCore.SYMBOL_WAIT_MILLIS, 1);
        return KernelCore.of(boot, new KernelLog(null, new LogBuffer(System.nanoTime(), 64)));
    }

    @Test
    public void theCommandLineReachesTheBlacklistAndTheCoreParameters() {
        KernelCore core = boot("module_blacklist=kvm-amd,,mod_dup initcall_debug");
        assertEquals(List.of("kvm_amd", "mod_dup"), core.blacklist());
        assertTrue(core.coreParams().initcallDebug());
    }

    @Test
    public void printkWithoutAFrameworkGoesIntoTheRingBuffer() {
        KernelCore core = boot("");
        core.printk().err("kvm: no hardware support for '%s'", "kvm_intel");
        List<LogBuffer.Record> records = core.log().buffer().read(false);
        assertEquals(1, records.size());
        assertEquals("kvm: no hardware support for 'kvm_intel'", records.get(0).text());
    }

    @Test
    public void aDeviceWhoseOwnerIsNotLoadedCannotBeOpened() {
        KernelCore core = boot("");
        FileOperations fops = (file, cmd, arg) -> 0;
        core.devices().miscRegister("kvm", "kvm", "kvm", fops);
        // the references see no module kvm on the list: try_module_get fails, open gives -ENODEV
        assertEquals(Errno.ENODEV.neg(), core.devices().open("kvm"));
        assertEquals(List.of("kvm"), core.devices().deviceNames());
    }

    @Test
    public void clearingAfterUnloadDropsWhatModulesLeftAndTheDebuggingState() {
        KernelCore core = boot("");
        core.devices().miscRegister("kvm", "kvm", "kvm", (file, cmd, arg) -> 0);
        core.taint().add(Taint.FORCED_RMMOD);
        core.failFunction().setTimes(5);
        core.clearAfterUnload();
        assertEquals(List.of(), core.devices().deviceNames());
        assertEquals(0, core.taint().value());
        assertEquals(1, core.failFunction().times());
    }

    @Test
    public void aBuiltInModulesDeviceStaysAsAfterBoot() {
        KernelCore core = boot("");
        core.devices().miscRegister("kvm", "kvm", "kvm", (file, cmd, arg) -> 0);
        core.devices().miscRegister("mod_gone", "gone", "mod_gone", (file, cmd, arg) -> 0);
        // kvm-x86-builtin: kvm is part of the image, its /dev/kvm there from boot; the reset dropped it
        core.devices().dropAll(name -> name.equals("kvm"));
        assertEquals(List.of("kvm"), core.devices().deviceNames());
    }

    @Test
    public void aCheckpointPutsBackTheLogTheLoadHistoryAndTheTaintAsOftenAsAsked() {
        KernelCore core = boot("");
        Checkpoint checkpoint = new Checkpoint(core.log().buffer(), core.loadHistory(), core.taint(), core.oops(),
                core.modules());
        assertEquals("nothing saved", Errno.EINVAL.neg(), checkpoint.restore(0));
        core.printk().info("kvm: loaded");
        core.loadHistory().record("kvm", 0, null, List.of(), "intel");
        core.loadHistory().record("kvm_intel", 0, null, List.of(), "intel");
        assertEquals(0, checkpoint.save(1));
        assertEquals(Errno.EINVAL.neg(), checkpoint.save(Checkpoint.SLOTS));
        String history = core.loadHistory().render();
        for (int i = 0; i < 2; i++) {
            core.printk().err("kvm_amd: not an AMD CPU");
            core.loadHistory().record("kvm_amd", -19, "init", List.of("kvm_amd: not an AMD CPU"), "intel");
            core.loadHistory().record("kvm", -22, "init", List.of(), "intel");
            core.taint().add(Taint.OOT_MODULE);
            assertEquals(0, checkpoint.restore(1));
            assertEquals(List.of("kvm: loaded"), core.log().buffer().read(false).stream().map(LogBuffer.Record::text)
                    .toList());
            assertEquals(history, core.loadHistory().render());
            assertEquals(0, core.taint().value());
        }
        core.printk().info("kvm: next");
        assertEquals(2, core.log().buffer().read(false).size());
        assertEquals("nothing saved in slot 0", Errno.EINVAL.neg(), checkpoint.restore(0));
        checkpoint.drop();
        assertEquals("dropped by the reset", Errno.EINVAL.neg(), checkpoint.restore(1));
    }
}
