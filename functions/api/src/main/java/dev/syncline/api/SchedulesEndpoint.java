package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.schedule.Schedule;
import dev.syncline.core.schedule.ScheduleService;
import java.util.Map;
import java.util.UUID;

/** {@code /v1/installations/{id}/schedule}: set (create or replace), read, remove an installation's schedule. */
final class SchedulesEndpoint {

    private final ScheduleService schedules;
    private final JsonBodies bodies;
    private final JsonCodec json;

    SchedulesEndpoint(ScheduleService schedules, JsonBodies bodies, JsonCodec json) {
        this.schedules = schedules;
        this.bodies = bodies;
        this.json = json;
    }

    /** 200 with the schedule as set, its next fire time included. */
    ApiResponse put(ApiRequest request, Map<String, String> path) {
        UUID id = Ids.installation(path.get("installation_id"));
        ScheduleBody body = bodies.read(request, ScheduleBody.class);
        return view(schedules.put(id, body.toRequest()));
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        return view(schedules.get(Ids.installation(path.get("installation_id"))));
    }

    /** 204: no more scheduled runs; runs already started go on. */
    ApiResponse delete(ApiRequest request, Map<String, String> path) {
        schedules.delete(Ids.installation(path.get("installation_id")));
        return new ApiResponse(204, Map.of(), "");
    }

    private ApiResponse view(Schedule schedule) {
        return ApiResponse.json(200, json.write(ScheduleView.of(schedule, schedules.nextFire(schedule))));
    }
}
