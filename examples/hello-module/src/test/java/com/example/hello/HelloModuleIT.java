package com.example.hello;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertAbsent;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertInvariants;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertLive;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertModprobeFails;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoLeaks;
import static org.kvmosgi.testsupport.kit.KernelMatchers.isAbsent;
import static org.kvmosgi.testsupport.kit.KernelMatchers.isLive;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Path;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.kit.Kernel;
import org.kvmosgi.testsupport.kit.Shell;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** hello.ko on the kvm-osgi platform: loads, fails cleanly at an injected step, and says why. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HelloModuleIT {
    @Inject Syscalls sys;
    @Inject CommandProcessor processor;
    private Shell sh;
    private Kernel kernel;

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.cmdline("initcall_debug"),
                KvmOsgi.moduleFile("hello.ko", Path.of(System.getProperty("hello.bundle"))));
    }

    @Before
    public void fresh() {
        sh = new Shell(processor);
        kernel = new Kernel(sys);
        sh.ok("kreset");
    }

    @After
    public void nothingLeftBehind() {
        sh.run("rmmod hello");
        assertAbsent(kernel, "hello");
        assertNoLeaks(kernel);
        assertInvariants(sh);
    }

    @Test
    public void loads() {
        sh.ok("modprobe hello greeting=hi");
        assertLive(kernel, "hello", 0);
        assertThat(kernel.module("hello"), isLive(0));
        assertDmesgInOrder(kernel, "hello: hi");
        assertEquals("hello", sh.ok("lsmod").lines().skip(1).findFirst().orElse("").split("\\s+")[0]);
    }

    @Test
    public void failsAtAnInjectedStepWithNothingLeaked() {
        kernel.inject("hello:misc_register", Errno.ENOMEM);
        assertModprobeFails(sh, "hello", "modprobe: ERROR: could not insert 'hello': Cannot allocate memory");
        assertThat(kernel.module("hello"), isAbsent());
        assertNoLeaks(kernel);
        String why = sh.ok("why hello");
        assertEquals("hello is not loaded", why.lines().findFirst().orElse(""));
        assertEquals(why, true, why.contains("-ENOMEM (Cannot allocate memory) at hello:misc_register"));
    }
}
