"""Device Defender audit end to end: real MQTT clients (paho) make the connection log, and the
audit is driven through the AWS CLI v2 and boto3 against a real `fleetguard serve
--audit-settle-lag 0s`.

Two devices connect at once with one certificate (the clone); a third device, on its own
certificate, only reconnects sequentially under a new client id. An on-demand audit finds exactly
the clone; a suppression flags the next audit's finding; a mitigation task on the first audit
deactivates the certificate (its live session drops) and publishes the finding to a notification
target: a webhook served by this test on 127.0.0.1:0 and an MQTT topic on fleetguard's broker.
"""

import http.server
import json
import os
import tempfile
import threading
import time
import unittest

import paho.mqtt.client as mqtt

from awsclients import aws, boto3_client, error_code
from fgtest import FG_BIN, DataDir, Server, run_cli
from test_gateway import Device

SHARED = "DEVICE_CERTIFICATE_SHARED_CHECK"
ROLE = "arn:aws:iam::123456789012:role/fleetguard-audit"
TOPIC = "fleetguard/audit/ops"
# The overlap the audit needs is more than its 2 s tolerance.
OVERLAP_SECONDS = 3.5


class Webhook:
    """An HTTP server on 127.0.0.1:0 that records every JSON document POSTed to it."""

    def __init__(self):
        self.documents = []
        self.lock = threading.Lock()
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with hook.lock:
                    hook.documents.append((self.path, self.headers.get("Content-Type"),
                                           json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/fleetguard/hook"

    def wait_for(self, predicate, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for path, content_type, doc in self.documents:
                    if path == "/fleetguard/hook" and content_type == "application/json" \
                            and predicate(doc):
                        return doc
            time.sleep(0.05)
        return None

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def wait_until(fetch, done, timeout=30, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}: {value}")
        time.sleep(0.1)


class AuditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not FG_BIN or not os.access(FG_BIN, os.X_OK):
            raise unittest.SkipTest("FG_BIN is not set to the fleetguard binary")
        cls.webhook = Webhook()
        cls.data = DataDir()
        cls.account = cls.data.first_account
        cls.target_arn = f"arn:aws:sns:us-east-1:{cls.account['accountId']}:ops"
        cls.work = tempfile.mkdtemp(prefix="fg-audit-")
        config = os.path.join(cls.work, "config.json")
        with open(config, "w") as f:
            json.dump({"auditSettleLag": "2h",
                       "notificationTargets": {"ops": {"webhook": cls.webhook.url,
                                                       "mqttTopic": TOPIC}}}, f)
        # The flag wins over the file's 2h: fleetguard's log is written in real time.
        cls.server = Server(cls.data, "--config", config, "--audit-settle-lag", "0s")
        cls.iot = boto3_client(cls.server, cls.account)
        cls.devices = []

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
            for d in cls.devices:
                d.close()
            cls.webhook.stop()
        finally:
            cls.data.cleanup()

    def cli(self, *args):
        return aws(self.server, self.account, *args)

    def new_certificate(self):
        created = self.iot.create_keys_and_certificate(setAsActive=True)
        base = os.path.join(self.work, created["certificateId"][:16])
        with open(base + ".pem", "w") as f:
            f.write(created["certificatePem"])
        with open(base + ".key", "w") as f:
            f.write(created["keyPair"]["PrivateKey"])
        return created["certificateId"], base + ".pem", base + ".key"

    def device(self, cert, key, client_id):
        d = Device(self.server, self.account, cert, key, client_id)
        self.devices.append(d)
        self.assertEqual(d.connect(), 0, f"{client_id} was not accepted")
        return d

    def run_audit(self):
        task_id = self.cli("start-on-demand-audit-task",
                           "--target-check-names", SHARED)["taskId"]
        task = wait_until(lambda: self.iot.describe_audit_task(taskId=task_id),
                          lambda t: t["taskStatus"] != "IN_PROGRESS", what="the audit")
        self.assertEqual(task["taskStatus"], "COMPLETED", task)
        return task_id, task

    def test_bad_settle_lag_is_refused_at_start(self):
        proc = run_cli("serve", "--data-dir", self.data.path, "--api-listen", "127.0.0.1:0",
                       "--mqtt-listen", "127.0.0.1:0", "--audit-settle-lag", "5x", check=False)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--audit-settle-lag", proc.stderr)

    def test_clone_found_suppressed_and_mitigated(self):
        # Configuration: the check, and audit notifications to the "ops" target.
        self.cli("update-account-audit-configuration", "--role-arn", ROLE,
                 "--audit-check-configurations", json.dumps({SHARED: {"enabled": True}}),
                 "--audit-notification-target-configurations",
                 json.dumps({"SNS": {"targetArn": self.target_arn, "roleArn": ROLE,
                                     "enabled": True}}))
        config = self.cli("describe-account-audit-configuration")
        self.assertTrue(config["auditCheckConfigurations"][SHARED]["enabled"])
        with self.assertRaises(Exception) as refused:
            self.iot.update_account_audit_configuration(
                auditNotificationTargetConfigurations={
                    "SNS": {"targetArn": "arn:aws:sns:us-east-1:1:nowhere", "enabled": True}})
        self.assertEqual(error_code(refused.exception), "InvalidRequestException")

        # A subscriber on the notification topic (its own certificate, one session).
        _, sub_cert, sub_key = self.new_certificate()
        listener = self.device(sub_cert, sub_key, "ops-console")
        listener.subscribe(TOPIC)

        # The clone: two devices at once on one certificate.
        shared_id, cert, key = self.new_certificate()
        clone_1 = self.device(cert, key, "clone-1")
        clone_2 = self.device(cert, key, "clone-2")
        # The honest device: only reconnects, under a new client id, never overlapping itself.
        solo_id, solo_cert, solo_key = self.new_certificate()
        first = self.device(solo_cert, solo_key, "solo-a")
        first.client.disconnect()
        self.assertTrue(first.gone.wait(5))
        time.sleep(0.3)
        self.device(solo_cert, solo_key, "solo-b")
        time.sleep(OVERLAP_SECONDS)

        task_id, task = self.run_audit()
        details = task["auditDetails"][SHARED]
        self.assertEqual(details["checkRunStatus"], "COMPLETED_NON_COMPLIANT")
        self.assertEqual(details["nonCompliantResourcesCount"], 1)
        self.assertEqual(task["taskStatistics"]["nonCompliantChecks"], 1)

        findings = self.cli("list-audit-findings", "--task-id", task_id)["findings"]
        self.assertEqual(len(findings), 1, findings)
        finding = findings[0]
        self.assertEqual(finding["checkName"], SHARED)
        self.assertEqual(finding["severity"], "CRITICAL")
        self.assertEqual(finding["reasonForNonComplianceCode"],
                         "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES")
        self.assertFalse(finding["isSuppressed"])
        self.assertEqual(finding["nonCompliantResource"]["resourceType"], "DEVICE_CERTIFICATE")
        self.assertEqual(finding["nonCompliantResource"]["resourceIdentifier"],
                         {"deviceCertificateId": shared_id})
        related = finding["relatedResources"]
        self.assertEqual(sorted(r["resourceIdentifier"]["clientId"] for r in related),
                         ["clone-1", "clone-2"])
        for r in related:
            self.assertEqual(r["resourceType"], "CLIENT_ID")
            info = r["additionalInfo"]
            self.assertTrue(info["CONNECTION_TIME"].isdigit())
            self.assertNotIn("DISCONNECTION_TIME", info)  # both still connected
            self.assertEqual(info["SOURCE_IP"], "127.0.0.1")
        # Newest session first, as AWS lists them.
        self.assertEqual(related[0]["resourceIdentifier"]["clientId"], "clone-2")
        finding_id = finding["findingId"]
        described = self.iot.describe_audit_finding(findingId=finding_id)["finding"]
        self.assertEqual(described["nonCompliantResource"], finding["nonCompliantResource"])
        self.assertEqual(
            len(self.iot.list_related_resources_for_audit_finding(
                findingId=finding_id)["relatedResources"]), 2)

        # The audit-completion notification reached the webhook, in AWS's schema.
        done = self.webhook.wait_for(lambda d: d.get("taskId") == task_id)
        self.assertIsNotNone(done, "no audit notification on the webhook")
        self.assertEqual(done["taskStatus"], "COMPLETED")
        self.assertEqual(done["nonCompliantChecksCount"], 1)
        self.assertEqual(done["auditDetails"][0]["checkName"], SHARED)

        # A suppression: the next audit still finds the clone, flagged and not counted.
        self.iot.create_audit_suppression(
            checkName=SHARED, resourceIdentifier={"deviceCertificateId": shared_id},
            suppressIndefinitely=True, description="bench rig", clientRequestToken="sup-1")
        second_id, second = self.run_audit()
        self.assertEqual(second["auditDetails"][SHARED]["checkRunStatus"], "COMPLETED_COMPLIANT")
        self.assertEqual(second["auditDetails"][SHARED]["suppressedNonCompliantResourcesCount"], 1)
        flagged = self.iot.list_audit_findings(taskId=second_id)["findings"]
        self.assertEqual([f["isSuppressed"] for f in flagged], [True])
        self.assertEqual(self.iot.list_audit_findings(
            taskId=second_id, listSuppressedFindings=False)["findings"], [])

        # Mitigation of the first audit's finding: deactivate, then publish.
        self.cli("create-mitigation-action", "--action-name", "deactivate", "--role-arn", ROLE,
                 "--action-params",
                 json.dumps({"updateDeviceCertificateParams": {"action": "DEACTIVATE"}}))
        self.iot.create_mitigation_action(
            actionName="notify-ops", roleArn=ROLE,
            actionParams={"publishFindingToSnsParams": {"topicArn": self.target_arn}})
        self.assertEqual(
            self.iot.describe_mitigation_action(actionName="notify-ops")["actionType"],
            "PUBLISH_FINDING_TO_SNS")
        self.iot.start_audit_mitigation_actions_task(
            taskId="contain-clone", target={"auditTaskId": task_id},
            auditCheckToActionsMapping={SHARED: ["deactivate", "notify-ops"]},
            clientRequestToken="mit-1")
        mitigation = wait_until(
            lambda: self.iot.describe_audit_mitigation_actions_task(taskId="contain-clone"),
            lambda t: t["taskStatus"] != "IN_PROGRESS", what="the mitigation task")
        self.assertEqual(mitigation["taskStatus"], "COMPLETED", mitigation)
        self.assertEqual(mitigation["taskStatistics"][SHARED]["succeededFindingsCount"], 1)
        executions = self.iot.list_audit_mitigation_actions_executions(
            taskId="contain-clone", findingId=finding_id)["actionsExecutions"]
        self.assertEqual([(e["actionName"], e["status"]) for e in executions],
                         [("deactivate", "COMPLETED"), ("notify-ops", "COMPLETED")])

        # The certificate is INACTIVE and its live sessions dropped.
        description = self.iot.describe_certificate(certificateId=shared_id)
        self.assertEqual(description["certificateDescription"]["status"], "INACTIVE")
        self.assertTrue(clone_1.gone.wait(5), "clone-1 still connected")
        self.assertTrue(clone_2.gone.wait(5), "clone-2 still connected")
        self.assertEqual(self.iot.describe_certificate(certificateId=solo_id)
                         ["certificateDescription"]["status"], "ACTIVE")

        # The finding reached both deliveries of the target.
        hook = self.webhook.wait_for(lambda d: "finding" in d)
        self.assertIsNotNone(hook, "no finding on the webhook")
        self.assertEqual(hook["finding"]["findingId"], finding_id)
        self.assertEqual(hook["finding"]["nonCompliantResource"],
                         finding["nonCompliantResource"])
        self.assertEqual(hook["mitigationActionsTaskId"], "contain-clone")
        self.assertEqual(hook["actionName"], "notify-ops")
        # On the topic: the two audit-completion notifications, then the finding.
        messages = wait_until(lambda: [json.loads(p) for t, p in listener.messages if t == TOPIC],
                              lambda m: any("finding" in d for d in m), timeout=10,
                              what="the finding on the MQTT topic")
        self.assertEqual(sorted(d["taskId"] for d in messages if "taskId" in d),
                         sorted([task_id, second_id]))
        self.assertEqual([d["finding"]["findingId"] for d in messages if "finding" in d],
                         [finding_id])

        # The same task id with another token is refused as AWS does.
        with self.assertRaises(Exception) as again:
            self.iot.start_audit_mitigation_actions_task(
                taskId="contain-clone", target={"auditTaskId": task_id},
                auditCheckToActionsMapping={SHARED: ["deactivate"]}, clientRequestToken="mit-2")
        self.assertEqual(error_code(again.exception), "TaskAlreadyExistsException")


if __name__ == "__main__":
    unittest.main()
