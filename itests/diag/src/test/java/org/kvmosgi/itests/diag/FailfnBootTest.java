package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** fail_function from configuration: the kernel command line arms a point at boot. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FailfnBootTest extends ShellTestBase {
    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("diag-fixtures"),
                KvmOsgi.cmdline("fail_function.inject=mod_hvlike:radix_init fail_function.retval=ENOMEM"));
    }

    /** Not reset: what boot armed is the subject. */
    @Override
    public void freshKernel() {
    }

    @Test
    public void theCommandLineArmsAPointAtBoot() throws Exception {
        String status = sh.run("failfn status").transcript();
        assertTrue(status, status.startsWith("mod_hvlike:radix_init"));
        assertTrue(status, status.contains("armed: -ENOMEM (Cannot allocate memory)"));
        assertTrue(status, status.contains("probability 100%, interval 1, times 1,"));
        assertEquals("FAIL: modprobe: ERROR: could not insert 'mod_hvlike': Cannot allocate memory",
                sh.run("modprobe mod_hvlike").transcript());
        assertEquals("", sh.run("modprobe mod_hvlike").transcript());
    }
}
