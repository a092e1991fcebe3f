package org.kvmosgi.itests.diag;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** {@link EveryPointTestBase} on x86 (intel): kvm and kvm_intel. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EveryPointX86Test extends EveryPointTestBase {
    @Configuration
    public Option[] config() {
        return options(platformWith("intel", "kvm-x86"));
    }

    @Test
    public void everyPointOfKvmAndKvmIntel() throws Exception {
        int fired = everyPoint("kvm", "kvm_intel");
        assertTrue("points reached: " + fired, fired >= 4);
    }
}
