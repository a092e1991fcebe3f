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

/** {@link EveryPointTestBase} on POWER9 bare metal: kvm, kvm_hv, kvm_pr. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EveryPointPowerTest extends EveryPointTestBase {
    @Configuration
    public Option[] config() {
        return options(platformWith("power9", "kvm-ppc"));
    }

    @Test
    public void everyPointOfKvmKvmHvAndKvmPr() throws Exception {
        int fired = everyPoint("kvm", "kvm_hv", "kvm_pr");
        assertTrue("points reached: " + fired, fired >= 4);
    }
}
