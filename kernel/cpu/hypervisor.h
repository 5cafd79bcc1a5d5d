/* Are we running under a hypervisor, and which one (CPUID 0x40000000). */
#ifndef SVMTEST_HYPERVISOR_H
#define SVMTEST_HYPERVISOR_H

int hypervisor_present(void);
/* 1 when the hypervisor's signature is QEMU's (TCG) or KVM's. */
int hypervisor_is_qemu_or_kvm(void);

/* The "# cpu:" line's hypervisor= field: none, kvm, tcg (QEMU's emulator), or
   the CPUID 0x40000000 signature itself, printable characters only. */
#define HYPERVISOR_NAME_SIZE 13
void hypervisor_name(char out[HYPERVISOR_NAME_SIZE]);

#endif
