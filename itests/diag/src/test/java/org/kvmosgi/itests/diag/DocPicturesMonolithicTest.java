package org.kvmosgi.itests.diag;

import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.kit.KernelAssert;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * docs/images/kvm-x86-monolithic-*.svg: each vendor module carries the core; on x86-lab
 * (both vendors pass their checks) kvm_intel loads, kvmgt links against it, and kvm_amd is
 * refused before its init for exporting the core's symbols a second time.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DocPicturesMonolithicTest extends DocPicturesTestBase {
    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("x86-lab"), KvmOsgi.feature("kvm-x86-monolithic"),
                KvmOsgi.featureBundles("kvm-x86-monolithic"));
    }

    @Test
    public void picturesOfTheMonolithicLayout() throws Exception {
        setUp();
        sh.ok("modprobe kvm_intel");
        sh.ok("insmod " + kernel.ko("kvmgt"));
        KernelAssert.assertModprobeFails(sh, "kvm_amd", "modprobe: ERROR: could not insert 'kvm_amd': Exec format error");
        KernelAssert.assertLive(kernel, "kvm_intel", 1, "kvmgt");
        KernelAssert.assertAbsent(kernel, "kvm_amd");
        picture("modgraph -T svg", "kvm-x86-monolithic-modules.svg", true);
        picture("modgraph -a -T svg", "kvm-x86-monolithic-feature.svg", true);
    }
}
