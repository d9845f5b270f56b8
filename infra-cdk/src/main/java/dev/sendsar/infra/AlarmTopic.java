package dev.sendsar.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

import java.util.Optional;

/** Every alarm of the stack notifies one SNS topic; {@code alarmEmail} subscribes a mailbox to it. */
public class AlarmTopic extends Construct {
    private final Topic topic;

    public AlarmTopic(Construct scope, String id, Optional<String> email) {
        super(scope, id);
        this.topic = Topic.Builder.create(this, "Topic").displayName("Sendsar alarms").build();
        email.ifPresent(address -> topic.addSubscription(new EmailSubscription(address)));
    }

    public Topic topic() {
        return topic;
    }

    /** An alarm when {@code metric} reaches {@code threshold} in one evaluation period; no data means all is well. */
    public Alarm atLeast(Construct owner, String id, String description, IMetric metric, double threshold) {
        Alarm alarm = Alarm.Builder.create(owner, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        return alarm;
    }

    static Duration period() {
        return Duration.minutes(5);
    }
}
