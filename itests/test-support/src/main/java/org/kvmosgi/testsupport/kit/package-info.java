/**
 * The kit for tests against the platform, used inside the framework (test methods):
 * {@link org.kvmosgi.testsupport.kit.Shell} runs shell lines, {@link org.kvmosgi.testsupport.kit.Kernel}
 * reads the kernel and arms fault injection, {@link org.kvmosgi.testsupport.kit.KernelAssert}
 * states what must hold. {@code KvmOsgi.platform()} installs it as a bundle.
 */
package org.kvmosgi.testsupport.kit;
