package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * resolve_symbol_wait gives up after its timeout (30 s in Linux; shortened here through
 * the kernel's {@code kvmosgi.symbol.wait.ms}): the importer's load fails -EBUSY.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SymbolWaitTimeoutTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"),
                frameworkProperty("kvmosgi.symbol.wait.ms").value("200"));
    }

    @Test
    public void importerGivesUpWaitingForAnInitThatDoesNotEnd() throws Exception {
        Thread slow = new Thread(() -> {
            try {
                kernel.finitModule("mod_slow", "hold=1");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        slow.start();
        await("mod_slow COMING", () -> "coming".equals(kernel.initstate("mod_slow")));

        assertEquals(Errno.EBUSY.value(), kernel.finitModule("mod_slowuser", ""));
        assertDmesgInOrder(kernel, "mod_slowuser: gave up waiting for init of module mod_slow.");
        assertDmesgInOrder(kernel, "mod_slowuser: Unknown symbol slow_sym (err -16)");
        assertGone("mod_slowuser");
        assertEquals("coming", kernel.initstate("mod_slow"));

        sys.write("/sys/module/mod_slow/parameters/hold", "N");
        slow.join(30_000);
        assertEquals("live", kernel.initstate("mod_slow"));
        assertEquals("the failed importer took no reference", 0, kernel.refcnt("mod_slow"));
        kernel.rmmod("mod_slow");
    }
}
