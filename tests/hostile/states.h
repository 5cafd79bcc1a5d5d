/* The machine state a hostile firmware or loader leaves behind, one bit per
 * command-line word of the hostile loader. */
#ifndef HOSTILE_STATES_H
#define HOSTILE_STATES_H

enum hostile_state {
    STATE_LA57 = 1u << 0,        /* long mode with 5-level paging and back: CR4.LA57 stays 1 */
    STATE_EFER = 1u << 1,        /* EFER.NXE and EFER.SCE set */
    STATE_PIC = 1u << 2,         /* 8259s at vector base 0x08/0x70, unmasked, PIT ticking */
    STATE_LAPIC_TIMER = 1u << 3, /* local APIC on, periodic timer unmasked at HOSTILE_TIMER_VECTOR */
    STATE_LINT0 = 1u << 4,       /* LVT LINT0 ExtINT, unmasked */
    STATE_SELFIPI = 1u << 5,     /* a fixed self-IPI at HOSTILE_IPI_VECTOR, pending (IF=0) */
    STATE_X2APIC = 1u << 6,      /* local APIC in x2APIC mode */
};

#define HOSTILE_TIMER_VECTOR 0x40
#define HOSTILE_IPI_VECTOR 0x41
#define HOSTILE_SPURIOUS_VECTOR 0x4f

struct state_word { const char *word; unsigned state; };
extern const struct state_word state_words[];   /* ends with { 0, 0 } */

/* Leaves every state in `states` in place (what the CPU cannot do is said on
 * COM1 and left out); returns the states applied. */
unsigned states_apply(unsigned states);
/* Says on COM1 what the CPU, the 8259s and the local APIC hold now. */
void states_report(unsigned applied);

#endif
