"""Timing the availability engine on a clinic-sized input (no database).

`python -m vial.booking.perf` builds the issue's benchmark case (20 practitioners at 3 locations,
8 weeks, 20,000 booked appointments in 7 rooms per location) and prints the engine's median time.
`bench/` can import `benchmark_case` and `time_engine` for `make bench`.
"""

import random
import statistics
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain

from .availability import (
    Interval,
    PractitionerSchedule,
    RoomSchedule,
    RotaRow,
    ServiceSpec,
    free_slots,
    rota_intervals,
)

LOCATIONS = (1, 2, 3)
ROOMS_PER_LOCATION = 7


def benchmark_case(practitioners=20, weeks=8, appointments=20_000, seed=3):
    """(service, schedules, rooms, window_start, window_end, now) for `free_slots`.

    Each practitioner works 08:00-20:00 Monday to Saturday, at a different one of the three
    locations each weekday, always in the same room of that location; appointments of 10 to 30
    minutes plus buffers fill their diaries back to back with small random gaps, round-robin until
    `appointments` are placed. The window starts on Monday 2 March 2026, so the spring clock
    change (29 March) is inside it.
    """
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    first_day = date(2026, 3, 2)
    days = [first_day + timedelta(days=n) for n in range(weeks * 7)]
    working_days = [d for d in days if d.weekday() < 6]
    rotas = {
        p: [RotaRow(LOCATIONS[(p + wd) % 3], wd, time(8), time(20), first_day) for wd in range(6)]
        for p in range(practitioners)
    }
    busy = {p: [] for p in range(practitioners)}
    room_busy = {}
    cursors = {}
    for p in range(practitioners):
        for day in working_days:
            for interval in rota_intervals(rotas[p], day, day):
                cursors.setdefault(p, []).append([interval.start, interval.end, interval.location_id])
    placed = 0
    round_robin = [(p, i) for i in range(len(working_days)) for p in range(practitioners)]
    while placed < appointments:
        progress = False
        for p, i in round_robin:
            if placed >= appointments:
                break
            cursor = cursors[p][i]
            length = timedelta(minutes=rng.choice((10, 15, 15, 20, 20, 30)) + rng.choice((0, 5)))
            gap = timedelta(minutes=rng.choice((0, 0, 5, 10, 30)))
            start = cursor[0] + gap
            if start + length > cursor[1]:
                continue
            busy[p].append(Interval(start, start + length))
            room = (cursor[2], p // 3)
            room_busy.setdefault(room, []).append(Interval(start, start + length))
            cursor[0] = start + length
            placed += 1
            progress = True
        if not progress:
            raise ValueError("Not enough working time for that many appointments.")
    service = ServiceSpec(
        service_id=1,
        duration=timedelta(minutes=30),
        buffer_before=timedelta(minutes=5),
        buffer_after=timedelta(minutes=10),
        minimum_notice=timedelta(hours=2),
        booking_horizon=timedelta(days=90),
    )
    schedules = [
        PractitionerSchedule(
            practitioner_id=p,
            rotas=rotas[p],
            service_ids={1},
            location_ids=set(LOCATIONS),
            time_off=[Interval(datetime(2026, 3, 20, 8, tzinfo=UTC), datetime(2026, 3, 20, 18, tzinfo=UTC))]
            if p % 5 == 0
            else [],
            busy=busy[p],
        )
        for p in range(practitioners)
    ]
    rooms = [
        RoomSchedule(room_id=loc * 100 + r, location_id=loc, capacity=1, busy={0: room_busy.get((loc, r), [])})
        for loc in LOCATIONS
        for r in range(ROOMS_PER_LOCATION)
    ]
    window_start = datetime(2026, 3, 2, tzinfo=UTC)
    window_end = window_start + timedelta(weeks=weeks)
    now = window_start - timedelta(days=1)
    for values in chain(busy.values(), room_busy.values()):
        values.sort()  # as the database returns them (ORDER BY blocked_start)
    return service, schedules, rooms, window_start, window_end, now


def time_engine(repeat=31, **case_options):
    """Median wall-clock and CPU seconds of `free_slots` over the benchmark case, with slot and appointment counts.

    CPU time (this thread's) is the steadier figure on a shared machine.
    """
    service, schedules, rooms, window_start, window_end, now = benchmark_case(**case_options)
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = clock.perf_counter(), clock.thread_time()
        slots = free_slots(service, schedules, window_start, window_end, now, rooms=rooms)
        cpu.append(clock.thread_time() - started_cpu)
        wall.append(clock.perf_counter() - started)
    return {
        "median_wall": statistics.median(wall),
        "median_cpu": statistics.median(cpu),
        "slots": len(slots),
        "appointments": sum(len(s.busy) for s in schedules),
    }


if __name__ == "__main__":
    result = time_engine()
    print(
        f"free_slots over {result['appointments']} booked appointments: median {result['median_wall'] * 1000:.1f} ms "
        f"wall, {result['median_cpu'] * 1000:.1f} ms CPU; {result['slots']} free slots"
    )
