#include "timer.h"

#include "kernel/cpu/cpu.h"
#include "kernel/interrupts/apic.h"
#include "kernel/lib/fmt.h"

#define CALIBRATION_MS 50u
#define CALIBRATION_ROUNDS 3u          /* the median one counts */
#define SAMPLE_ATTEMPTS 100u
#define SAMPLE_MAX_PM_TICKS 72u        /* 20 us between the PM reads around a sample */
#define COUNT_DOWN_START 0xffffffffu
#define EDGE_POLL_LIMIT 1000000u      /* the PM timer ticks every 280 ns */
#define WINDOW_POLL_LIMIT 5000000u    /* ~1 us per port read: 100 times a 50 ms window */
#define PIT_COMMAND 0x43
#define PIT_CH2_DATA 0x42
#define PIT_CH2_MODE0_LOHI 0xb0       /* channel 2, low then high byte, mode 0, binary */
#define PORT_B 0x61                   /* NMI status and control */
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define PIT_COUNT_MAX 0xffffu
#define PAUSES_PER_MS 100000u         /* uncalibrated delays: generous on any CPU */

static uint16_t pm_port;
static uint8_t pm_bits;
static struct timer_calibration cal = { .why_not = "not calibrated yet" };
static const char *pit_why_not;
static int calibrated;          /* timer_calibrate ran (not on a configuration error) */
static struct guest_bound bound = { FALLBACK_INITIAL_COUNT, FALLBACK_TICKS, 0, 0 };

static const char *no_pm_why = "no ACPI FADT";

void timer_init(const struct fadt_info *fadt)
{
    if (fadt)
        no_pm_why = "the FADT names no ACPI PM timer";
    if (fadt && fadt->pm_timer_port) {
        pm_port = fadt->pm_timer_port;
        pm_bits = fadt->pm_timer_bits;
    }
}

static uint32_t pm_read(void)
{
    return inl(pm_port);
}

struct sample { uint32_t apic; uint64_t tsc; };

static struct sample sample_now(void)
{
    return (struct sample){ apic_timer_current(), rdtsc() };
}

/* One round's rates from two samples over ref_ticks of a ref_hz clock. */
static uint64_t apic_rate[CALIBRATION_ROUNDS], tsc_rate[CALIBRATION_ROUNDS];

static void note_rates(unsigned round, struct sample a, struct sample b, uint64_t ref_ticks, uint32_t ref_hz)
{
    apic_rate[round] = timecalc_rate_hz(a.apic - b.apic, ref_ticks, ref_hz);  /* counts down */
    tsc_rate[round] = timecalc_rate_hz(b.tsc - a.tsc, ref_ticks, ref_hz);
}

/* The median of the rounds; 0 if the APIC timer's is implausible. */
static int settle_rates(void)
{
    uint64_t apic = timecalc_median(apic_rate, CALIBRATION_ROUNDS);
    uint64_t tsc = timecalc_median(tsc_rate, CALIBRATION_ROUNDS);
    if (apic < APIC_TIMER_HZ_MIN || apic > APIC_TIMER_HZ_MAX)
        return 0;
    cal.apic_timer_hz = apic;
    cal.tsc_hz = tsc >= TSC_HZ_MIN && tsc <= TSC_HZ_MAX ? tsc : 0;
    return 1;
}

/* A sample and the PM timer reading it belongs to: bracketed by two PM
 * reads close together, so an interruption (an SMI, a preempted virtual
 * CPU) between the clocks' reads is seen and the sample taken again. */
static int pm_sample(struct sample *s, uint32_t *pm)
{
    for (unsigned i = 0; i < SAMPLE_ATTEMPTS; i++) {
        uint32_t before = pm_read();
        *s = sample_now();
        uint32_t spread = timecalc_counter_delta(before, pm_read(), pm_bits);
        if (spread <= SAMPLE_MAX_PM_TICKS) {
            *pm = before + spread / 2;
            return 1;
        }
    }
    return 0;
}

static const char *measure_pm(void)
{
    uint32_t want = (uint32_t)timecalc_ticks_in_ms(ACPI_PM_TIMER_HZ, CALIBRATION_MS);
    apic_timer_count_down(COUNT_DOWN_START);
    uint32_t p0 = pm_read(), p = p0;
    for (unsigned i = 0; p == p0; i++) {
        if (i == EDGE_POLL_LIMIT)
            return "the ACPI PM timer does not count";
        p = pm_read();
    }
    for (unsigned round = 0; round < CALIBRATION_ROUNDS; round++) {
        struct sample a, b;
        uint32_t pa, pb;
        if (!pm_sample(&a, &pa))
            return "no undisturbed reading of the ACPI PM timer";
        for (unsigned i = 0; timecalc_counter_delta(pa, pm_read(), pm_bits) < want; i++)
            if (i == WINDOW_POLL_LIMIT)
                return "the ACPI PM timer counts too slowly";
        if (!pm_sample(&b, &pb))
            return "no undisturbed reading of the ACPI PM timer";
        note_rates(round, a, b, timecalc_counter_delta(pa, pb, pm_bits), ACPI_PM_TIMER_HZ);
    }
    return settle_rates() ? 0 : "the APIC timer rate against the ACPI PM timer is implausible";
}

static const char *measure_pit(void)
{
    uint32_t count = (uint32_t)timecalc_ticks_in_ms(PIT_HZ, CALIBRATION_MS);
    if (count > PIT_COUNT_MAX)
        count = PIT_COUNT_MAX;
    apic_timer_count_down(COUNT_DOWN_START);
    for (unsigned round = 0; round < CALIBRATION_ROUNDS; round++) {
        outb(PORT_B, (uint8_t)((inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2));
        outb(PIT_COMMAND, PIT_CH2_MODE0_LOHI);
        outb(PIT_CH2_DATA, (uint8_t)count);
        outb(PIT_CH2_DATA, (uint8_t)(count >> 8));
        struct sample a = sample_now();
        if (inb(PORT_B) & PORT_B_OUT2)
            return "PIT channel 2 output is high before its count ran (no PIT)";
        for (unsigned i = 0; !(inb(PORT_B) & PORT_B_OUT2); i++)
            if (i == WINDOW_POLL_LIMIT)
                return "PIT channel 2 never reached zero";
        note_rates(round, a, sample_now(), count, PIT_HZ);
    }
    return settle_rates() ? 0 : "the APIC timer rate against the PIT is implausible";
}

void timer_calibrate(uint32_t guest_timeout_ms)
{
    const char *pm_why = no_pm_why;
    cal = (struct timer_calibration){ 0 };
    if (pm_port && !(pm_why = measure_pm())) {
        cal.reference = TIMER_REF_ACPI_PM;
    } else {
        const char *pit_why = measure_pit();
        if (!pit_why) {
            cal.reference = TIMER_REF_PIT;
        } else {
            cal = (struct timer_calibration){ .why_not = pm_why };
            pit_why_not = pit_why;
        }
    }
    apic_timer_stop();
    bound = timecalc_guest_bound(cal.apic_timer_hz, cal.tsc_hz, guest_timeout_ms);
    calibrated = 1;
}

const struct timer_calibration *timer_calibration(void) { return &cal; }
const struct guest_bound *timer_guest_bound(void) { return &bound; }

const char *timer_reference_name(enum timer_reference r)
{
    switch (r) {
    case TIMER_REF_ACPI_PM: return "acpi-pm-timer";
    case TIMER_REF_PIT: return "pit";
    case TIMER_REF_NONE: break;
    }
    return "none";
}

int timer_describe(unsigned verbose, char *buf, size_t size)
{
    if (!calibrated)
        return 0;
    if (!bound.ms) {
        fmt_snprintf(buf, size, "no reference clock (%s; %s): guest runs bounded by %u ticks of "
                     "an uncalibrated APIC timer, not guest_timeout_ms", cal.why_not,
                     pit_why_not ? pit_why_not : "PIT not tried", bound.ticks);
        return 1;
    }
    if (!verbose)
        return 0;
    char how[64];
    if (bound.tsc_cycles)
        fmt_snprintf(how, sizeof how, "by the TSC, checked every %u ms", GUEST_TICK_MS);
    else
        fmt_snprintf(how, sizeof how, "= %u ticks of %u ms", bound.ticks, GUEST_TICK_MS);
    if (cal.reference == TIMER_REF_ACPI_PM)
        fmt_snprintf(buf, size, "calibrated against the ACPI PM timer (I/O port 0x%x, %u-bit); "
                     "guest bound %u ms %s", pm_port, pm_bits, bound.ms, how);
    else
        fmt_snprintf(buf, size, "calibrated against PIT channel 2; guest bound %u ms %s", bound.ms,
                     how);
    return 1;
}

void timer_delay_ms(uint32_t ms)
{
    if (cal.tsc_hz) {
        uint64_t t0 = rdtsc(), want = cal.tsc_hz / 1000u * ms;
        while (rdtsc() - t0 < want)
            cpu_pause();
        return;
    }
    if (pm_port) {
        uint32_t want = (uint32_t)timecalc_ticks_in_ms(ACPI_PM_TIMER_HZ, ms), start = pm_read();
        for (unsigned i = 0; i < WINDOW_POLL_LIMIT; i++)
            if (timecalc_counter_delta(start, pm_read(), pm_bits) >= want)
                return;
        return;
    }
    for (uint64_t i = 0; i < (uint64_t)PAUSES_PER_MS * ms; i++)
        cpu_pause();
}
