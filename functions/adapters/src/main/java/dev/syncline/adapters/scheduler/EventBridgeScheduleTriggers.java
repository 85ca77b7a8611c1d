package dev.syncline.adapters.scheduler;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.schedule.Schedule;
import dev.syncline.core.schedule.ScheduleTriggers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.Target;

/**
 * One EventBridge Scheduler schedule per installation, named after it, in the deployment's schedule group. It
 * invokes the scheduled-run function with a {@link #SOURCE} event naming the installation and the scheduled time
 * (the retried invocation of one firing starts no second run). Fires on time (flexible window off), never retried
 * by the scheduler: the next firing comes anyway, and the outcome of each is recorded.
 */
public final class EventBridgeScheduleTriggers implements ScheduleTriggers {

    /** The {@code source} of the event a schedule sends, which tells the function a scheduled run from its own pass. */
    public static final String SOURCE = "syncline.schedule";
    public static final String DETAIL_TYPE = "Scheduled synchronization";
    /** EventBridge Scheduler replaces this placeholder with the firing's time. */
    static final String SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";

    private final SchedulerClient scheduler;
    private final String group;
    private final String targetArn;
    private final String roleArn;
    private final JsonCodec json;

    public EventBridgeScheduleTriggers(SchedulerClient scheduler, String group, String targetArn, String roleArn, JsonCodec json) {
        this.scheduler = scheduler;
        this.group = group;
        this.targetArn = targetArn;
        this.roleArn = roleArn;
        this.json = json;
    }

    /** The schedule's name: the installation id, unique in the group and within the 64 characters allowed. */
    public static String name(UUID installationId) {
        return installationId.toString();
    }

    @Override
    public void put(Schedule schedule) {
        String name = name(schedule.installationId());
        Target target = Target.builder()
                .arn(targetArn)
                .roleArn(roleArn)
                .input(input(schedule.installationId()))
                .retryPolicy(retry -> retry.maximumRetryAttempts(0))
                .build();
        try {
            update(name, schedule, target);
        } catch (ResourceNotFoundException firstTime) {
            try {
                scheduler.createSchedule(b -> b.name(name).groupName(group)
                        .scheduleExpression(schedule.expression().text())
                        .scheduleExpressionTimezone(schedule.timeZone().getId())
                        .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                        .state(ScheduleState.ENABLED)
                        .actionAfterCompletion(ActionAfterCompletion.NONE)
                        .target(target));
            } catch (ConflictException createdMeanwhile) {
                // Another request created it between the two calls: this one's settings win, as they came last.
                update(name, schedule, target);
            }
        }
    }

    private void update(String name, Schedule schedule, Target target) {
        scheduler.updateSchedule(b -> b.name(name).groupName(group)
                .scheduleExpression(schedule.expression().text())
                .scheduleExpressionTimezone(schedule.timeZone().getId())
                .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                .state(ScheduleState.ENABLED)
                .actionAfterCompletion(ActionAfterCompletion.NONE)
                .target(target));
    }

    @Override
    public void delete(UUID installationId) {
        try {
            scheduler.deleteSchedule(b -> b.name(name(installationId)).groupName(group));
        } catch (ResourceNotFoundException alreadyGone) {
            // Deleting is idempotent: nothing to do.
        }
    }

    private String input(UUID installationId) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("installation_id", installationId.toString());
        detail.put("scheduled_time", SCHEDULED_TIME);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("source", SOURCE);
        event.put("detail-type", DETAIL_TYPE);
        event.put("detail", detail);
        return json.write(event);
    }
}
