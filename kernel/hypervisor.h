/* Are we running under a hypervisor, and which one (CPUID 0x40000000). */
#ifndef SVMTEST_HYPERVISOR_H
#define SVMTEST_HYPERVISOR_H

int hypervisor_present(void);
/* 1 when the hypervisor's signature is QEMU's (TCG) or KVM's. */
int hypervisor_is_qemu_or_kvm(void);

#endif
