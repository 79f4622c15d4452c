"""Things, principals and thing groups through the real AWS clients: Debian's AWS CLI v2
(/usr/bin/aws) and boto3, against a running `fleetguard serve`.

Every scenario runs with both clients where the client can express it. The Debian clients
predate `thingPrincipalType` (reference §0), so the EXCLUSIVE_THING case adds that query member
to boto3's request before it is signed.
"""

import unittest

import botocore.exceptions

from awsclients import CliError, aws, boto3_client, error_code
from fgtest import FleetguardTestCase, Server


class ThingsApiTest(FleetguardTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.data.first_account
        cls.stranger = cls.data.create_account("stranger")
        cls.pager = cls.data.create_account("pager")
        cls.server = Server(cls.data)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        super().tearDownClass()

    def setUp(self):
        self._clients = []

    def tearDown(self):
        for client in self._clients:
            client.close()

    def cli(self, *args, account=None):
        return aws(self.server, account or self.owner, *args)

    def boto(self, account=None):
        client = boto3_client(self.server, account or self.owner)
        self._clients.append(client)
        return client

    def assertCliError(self, code, *args, account=None):
        with self.assertRaises(CliError) as caught:
            self.cli(*args, account=account)
        self.assertEqual(caught.exception.code, code, caught.exception.stderr)
        return caught.exception

    def assertBotoError(self, code, call, **kwargs):
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            call(**kwargs)
        self.assertEqual(error_code(caught.exception), code, caught.exception.response)
        return caught.exception

    def thing_arn(self, name, account=None):
        acct = account or self.owner
        return f"arn:aws:iot:{acct['region']}:{acct['accountId']}:thing/{name}"

    def group_arn(self, name, account=None):
        acct = account or self.owner
        return f"arn:aws:iot:{acct['region']}:{acct['accountId']}:thinggroup/{name}"

    # --- things -------------------------------------------------------------------------------

    def test_thing_life_cycle_with_the_cli(self):
        created = self.cli("create-thing", "--thing-name", "cli-lamp", "--thing-type-name", "lamp",
                           "--attribute-payload", '{"attributes":{"room":"kitchen","watts":"60"}}')
        self.assertEqual(created["thingName"], "cli-lamp")
        self.assertEqual(created["thingArn"], self.thing_arn("cli-lamp"))
        # Idempotent for the same configuration.
        again = self.cli("create-thing", "--thing-name", "cli-lamp", "--thing-type-name", "lamp",
                         "--attribute-payload", '{"attributes":{"room":"kitchen","watts":"60"}}')
        self.assertEqual(again["thingId"], created["thingId"])
        self.assertCliError("ResourceAlreadyExistsException", "create-thing", "--thing-name",
                            "cli-lamp")

        described = self.cli("describe-thing", "--thing-name", "cli-lamp")
        self.assertEqual(described["thingId"], created["thingId"])
        self.assertEqual(described["thingTypeName"], "lamp")
        self.assertEqual(described["attributes"], {"room": "kitchen", "watts": "60"})
        self.assertEqual(described["defaultClientId"], "cli-lamp")
        self.assertEqual(described["version"], 1)

        self.cli("update-thing", "--thing-name", "cli-lamp", "--attribute-payload",
                 '{"attributes":{"watts":"","colour":"red"},"merge":true}')
        described = self.cli("describe-thing", "--thing-name", "cli-lamp")
        self.assertEqual(described["attributes"], {"room": "kitchen", "colour": "red"})
        self.assertEqual(described["version"], 2)
        self.cli("update-thing", "--thing-name", "cli-lamp", "--remove-thing-type",
                 "--expected-version", "2")
        described = self.cli("describe-thing", "--thing-name", "cli-lamp")
        self.assertNotIn("thingTypeName", described)
        self.assertEqual(described["version"], 3)
        self.assertCliError("VersionConflictException", "update-thing", "--thing-name",
                            "cli-lamp", "--expected-version", "1", "--thing-type-name", "x")

        self.assertCliError("VersionConflictException", "delete-thing", "--thing-name",
                            "cli-lamp", "--expected-version", "2")
        self.cli("delete-thing", "--thing-name", "cli-lamp", "--expected-version", "3")
        self.assertCliError("ResourceNotFoundException", "describe-thing", "--thing-name",
                            "cli-lamp")
        self.cli("delete-thing", "--thing-name", "cli-lamp")  # AWS: a missing thing is a success

    def test_thing_life_cycle_with_boto3(self):
        iot = self.boto()
        created = iot.create_thing(thingName="boto-lamp",
                                   attributePayload={"attributes": {"room": "hall"}})
        self.assertEqual(created["thingArn"], self.thing_arn("boto-lamp"))
        self.assertBotoError("ResourceAlreadyExistsException", iot.create_thing,
                             thingName="boto-lamp", attributePayload={"attributes": {"room": "x"}})
        iot.update_thing(thingName="boto-lamp", thingTypeName="lamp",
                         attributePayload={"attributes": {"floor": "1"}, "merge": True})
        described = iot.describe_thing(thingName="boto-lamp")
        self.assertEqual(described["attributes"], {"room": "hall", "floor": "1"})
        self.assertEqual(described["thingTypeName"], "lamp")
        self.assertEqual(described["version"], 2)
        # Without merge the attributes are replaced.
        iot.update_thing(thingName="boto-lamp", attributePayload={"attributes": {"only": "this"}},
                         expectedVersion=2)
        described = iot.describe_thing(thingName="boto-lamp")
        self.assertEqual(described["attributes"], {"only": "this"})
        self.assertEqual(described["version"], 3)
        self.assertBotoError("VersionConflictException", iot.delete_thing, thingName="boto-lamp",
                             expectedVersion=1)
        iot.delete_thing(thingName="boto-lamp", expectedVersion=3)
        self.assertBotoError("ResourceNotFoundException", iot.describe_thing,
                             thingName="boto-lamp")

    def test_list_things_pages_and_filters_with_both_clients(self):
        iot = self.boto(self.pager)
        names = [f"page-{i:02d}" for i in range(60)]
        for i, name in enumerate(names):
            iot.create_thing(thingName=name, thingTypeName="sensor" if i < 10 else "lamp",
                             attributePayload={"attributes": {"batch": f"b{i % 3}-{i}"}})

        # CLI v2 follows nextToken itself; --page-size sets maxResults.
        listed = self.cli("list-things", "--page-size", "7", account=self.pager)
        self.assertEqual([t["thingName"] for t in listed["things"]], names)
        self.assertEqual(listed["things"][0]["thingArn"], self.thing_arn("page-00", self.pager))
        self.assertEqual(listed["things"][0]["attributes"], {"batch": "b0-0"})
        self.assertEqual(listed["things"][0]["version"], 1)
        sensors = self.cli("list-things", "--page-size", "3", "--thing-type-name", "sensor",
                           account=self.pager)
        self.assertEqual([t["thingName"] for t in sensors["things"]], names[:10])
        exact = self.cli("list-things", "--attribute-name", "batch", "--attribute-value",
                         "b1-4", account=self.pager)
        self.assertEqual([t["thingName"] for t in exact["things"]], ["page-04"])
        prefixed = self.cli("list-things", "--page-size", "2", "--attribute-name", "batch",
                            "--attribute-value", "b2-", "--use-prefix-attribute-value",
                            account=self.pager)
        self.assertEqual([t["thingName"] for t in prefixed["things"]], names[2::3])

        # boto3: the paginator, and a hand-driven loop that checks every page's size.
        pages = iot.get_paginator("list_things").paginate(PaginationConfig={"PageSize": 11})
        seen = [t["thingName"] for page in pages for t in page["things"]]
        self.assertEqual(seen, names)
        seen, token, sizes = [], None, []
        while True:
            kwargs = {"maxResults": 25}
            if token:
                kwargs["nextToken"] = token
            page = iot.list_things(**kwargs)
            sizes.append(len(page["things"]))
            seen += [t["thingName"] for t in page["things"]]
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual(seen, names)
        self.assertEqual(sizes, [25, 25, 10])
        # A token is bound to its listing: other filters or another account refuse it.
        token = iot.list_things(maxResults=5)["nextToken"]
        self.assertBotoError("InvalidRequestException", iot.list_things, nextToken=token,
                             thingTypeName="lamp")
        self.assertBotoError("InvalidRequestException", self.boto().list_things, nextToken=token)
        self.assertBotoError("InvalidRequestException", iot.list_things, maxResults=251)
        # The other accounts see none of these things.
        self.assertNotIn("page-00", [t["thingName"] for t in self.cli("list-things")["things"]])

    # --- principals ---------------------------------------------------------------------------

    def test_principals_with_the_cli(self):
        cert = self.cli("create-keys-and-certificate", "--set-as-active")
        arn, cert_id = cert["certificateArn"], cert["certificateId"]
        self.cli("create-thing", "--thing-name", "cli-sensor-1")
        self.cli("create-thing", "--thing-name", "cli-sensor-2")
        self.cli("attach-thing-principal", "--thing-name", "cli-sensor-1", "--principal", arn)
        self.cli("attach-thing-principal", "--thing-name", "cli-sensor-2", "--principal", arn)
        self.assertEqual(
            self.cli("list-thing-principals", "--thing-name", "cli-sensor-1")["principals"], [arn])
        self.assertEqual(
            self.cli("list-principal-things", "--principal", arn, "--page-size", "1")["things"],
            ["cli-sensor-1", "cli-sensor-2"])

        # Deleting the certificate is refused while it is attached, even once INACTIVE.
        self.cli("update-certificate", "--certificate-id", cert_id, "--new-status", "INACTIVE")
        self.assertCliError("DeleteConflictException", "delete-certificate", "--certificate-id",
                            cert_id)
        self.cli("detach-thing-principal", "--thing-name", "cli-sensor-1", "--principal", arn)
        self.cli("detach-thing-principal", "--thing-name", "cli-sensor-2", "--principal", arn)
        self.assertCliError("ResourceNotFoundException", "detach-thing-principal",
                            "--thing-name", "cli-sensor-2", "--principal", arn)
        self.assertEqual(self.cli("list-principal-things", "--principal", arn)["things"], [])
        self.cli("delete-certificate", "--certificate-id", cert_id)
        self.assertCliError("ResourceNotFoundException", "describe-certificate",
                            "--certificate-id", cert_id)

    def test_principals_with_boto3_exclusive_and_not(self):
        iot = self.boto()
        cert = iot.create_keys_and_certificate(setAsActive=True)
        arn, cert_id = cert["certificateArn"], cert["certificateId"]
        for name in ("boto-sensor-1", "boto-sensor-2", "boto-sensor-3"):
            iot.create_thing(thingName=name)
        iot.attach_thing_principal(thingName="boto-sensor-1", principal=arn)
        self.assertEqual(iot.list_thing_principals(thingName="boto-sensor-1")["principals"], [arn])
        self.assertEqual(iot.list_principal_things(principal=arn)["things"], ["boto-sensor-1"])

        # EXCLUSIVE_THING refuses a certificate attached elsewhere; the registry answers
        # InvalidRequestException, as AWS does.
        exclusive = self.boto()
        exclusive.meta.events.register("before-sign.iot.AttachThingPrincipal",
                                       _add_query("thingPrincipalType=EXCLUSIVE_THING"))
        self.assertBotoError("InvalidRequestException", exclusive.attach_thing_principal,
                             thingName="boto-sensor-2", principal=arn)
        # Once detached, it may be attached exclusively; then a non-exclusive attach elsewhere
        # is refused too.
        iot.detach_thing_principal(thingName="boto-sensor-1", principal=arn)
        exclusive.attach_thing_principal(thingName="boto-sensor-2", principal=arn)
        self.assertBotoError("InvalidRequestException", iot.attach_thing_principal,
                             thingName="boto-sensor-3", principal=arn)
        self.assertEqual(iot.list_principal_things(principal=arn)["things"], ["boto-sensor-2"])

        iot.update_certificate(certificateId=cert_id, newStatus="INACTIVE")
        self.assertBotoError("DeleteConflictException", iot.delete_certificate,
                             certificateId=cert_id)
        iot.detach_thing_principal(thingName="boto-sensor-2", principal=arn)
        iot.delete_certificate(certificateId=cert_id)
        self.assertBotoError("ResourceNotFoundException", iot.list_principal_things,
                             principal=arn)

    # --- thing groups -------------------------------------------------------------------------

    def test_thing_groups_with_the_cli(self):
        self.cli("create-thing-group", "--thing-group-name", "cli-site", "--thing-group-properties",
                 '{"thingGroupDescription":"the site","attributePayload":{"attributes":{"k":"v"}}}')
        self.cli("create-thing-group", "--thing-group-name", "cli-floor",
                 "--parent-group-name", "cli-site")
        self.cli("create-thing-group", "--thing-group-name", "cli-room",
                 "--parent-group-name", "cli-floor")
        room = self.cli("describe-thing-group", "--thing-group-name", "cli-room")
        self.assertEqual(room["thingGroupArn"], self.group_arn("cli-room"))
        self.assertEqual(room["thingGroupMetadata"]["parentGroupName"], "cli-floor")
        self.assertEqual(room["thingGroupMetadata"]["rootToParentThingGroups"], [
            {"groupName": "cli-site", "groupArn": self.group_arn("cli-site")},
            {"groupName": "cli-floor", "groupArn": self.group_arn("cli-floor")}])
        self.assertIn("creationDate", room["thingGroupMetadata"])
        site = self.cli("describe-thing-group", "--thing-group-name", "cli-site")
        self.assertEqual(site["thingGroupProperties"]["thingGroupDescription"], "the site")
        self.assertEqual(site["thingGroupProperties"]["attributePayload"]["attributes"],
                         {"k": "v"})

        updated = self.cli("update-thing-group", "--thing-group-name", "cli-site",
                           "--thing-group-properties", '{"thingGroupDescription":"renamed"}',
                           "--expected-version", "1")
        self.assertEqual(updated["version"], 2)
        self.assertCliError("VersionConflictException", "update-thing-group",
                            "--thing-group-name", "cli-site", "--thing-group-properties", "{}",
                            "--expected-version", "1")

        listed = self.cli("list-thing-groups", "--parent-group", "cli-site", "--recursive",
                          "--page-size", "1")
        self.assertEqual([g["groupName"] for g in listed["thingGroups"]], ["cli-floor", "cli-room"])
        direct = self.cli("list-thing-groups", "--parent-group", "cli-site")
        self.assertEqual([g["groupName"] for g in direct["thingGroups"]], ["cli-floor"])
        prefixed = self.cli("list-thing-groups", "--name-prefix-filter", "cli-r")
        self.assertEqual(prefixed["thingGroups"],
                         [{"groupName": "cli-room", "groupArn": self.group_arn("cli-room")}])

        for name in ("cli-member-1", "cli-member-2"):
            self.cli("create-thing", "--thing-name", name)
        self.cli("add-thing-to-thing-group", "--thing-group-name", "cli-site",
                 "--thing-name", "cli-member-1")
        self.cli("add-thing-to-thing-group", "--thing-group-arn", self.group_arn("cli-room"),
                 "--thing-arn", self.thing_arn("cli-member-2"))
        self.assertEqual(
            self.cli("list-things-in-thing-group", "--thing-group-name", "cli-site")["things"],
            ["cli-member-1"])
        self.assertEqual(
            self.cli("list-things-in-thing-group", "--thing-group-name", "cli-site",
                     "--recursive", "--page-size", "1")["things"],
            ["cli-member-1", "cli-member-2"])
        self.assertEqual(
            self.cli("list-thing-groups-for-thing", "--thing-name", "cli-member-2")["thingGroups"],
            [{"groupName": "cli-room", "groupArn": self.group_arn("cli-room")}])
        self.cli("remove-thing-from-thing-group", "--thing-group-name", "cli-room",
                 "--thing-name", "cli-member-2")
        self.assertEqual(
            self.cli("list-things-in-thing-group", "--thing-group-name", "cli-room")["things"], [])

        self.assertCliError("InvalidRequestException", "delete-thing-group",
                            "--thing-group-name", "cli-floor")
        self.assertCliError("VersionConflictException", "delete-thing-group",
                            "--thing-group-name", "cli-room", "--expected-version", "9")
        self.cli("delete-thing-group", "--thing-group-name", "cli-room", "--expected-version", "1")
        self.cli("delete-thing-group", "--thing-group-name", "cli-floor")
        self.assertCliError("ResourceNotFoundException", "describe-thing-group",
                            "--thing-group-name", "cli-floor")

    def test_thing_groups_with_boto3(self):
        iot = self.boto()
        iot.create_thing_group(thingGroupName="boto-site",
                               tags=[{"Key": "team", "Value": "ops"}])
        iot.create_thing_group(thingGroupName="boto-floor", parentGroupName="boto-site")
        iot.create_thing_group(thingGroupName="boto-room", parentGroupName="boto-floor")
        self.assertBotoError("ResourceAlreadyExistsException", iot.create_thing_group,
                             thingGroupName="boto-room", parentGroupName="boto-site")
        room = iot.describe_thing_group(thingGroupName="boto-room")
        self.assertEqual([g["groupName"] for g in
                          room["thingGroupMetadata"]["rootToParentThingGroups"]],
                         ["boto-site", "boto-floor"])
        self.assertEqual(room["version"], 1)

        iot.create_thing(thingName="boto-member")
        iot.add_thing_to_thing_group(thingGroupArn=self.group_arn("boto-room"),
                                     thingName="boto-member")
        iot.add_thing_to_thing_group(thingGroupName="boto-site",
                                     thingArn=self.thing_arn("boto-member"))
        pages = iot.get_paginator("list_things_in_thing_group").paginate(
            thingGroupName="boto-site", recursive=True, PaginationConfig={"PageSize": 1})
        self.assertEqual([t for p in pages for t in p["things"]], ["boto-member"])
        groups = iot.list_thing_groups_for_thing(thingName="boto-member", maxResults=1)
        self.assertEqual([g["groupName"] for g in groups["thingGroups"]], ["boto-room"])
        rest = iot.list_thing_groups_for_thing(thingName="boto-member",
                                               nextToken=groups["nextToken"])
        self.assertEqual([g["groupName"] for g in rest["thingGroups"]], ["boto-site"])
        self.assertNotIn("nextToken", rest)
        pages = iot.get_paginator("list_thing_groups").paginate(
            parentGroup="boto-site", recursive=True, PaginationConfig={"PageSize": 1})
        self.assertEqual([g["groupName"] for p in pages for g in p["thingGroups"]],
                         ["boto-floor", "boto-room"])

        self.assertBotoError("InvalidRequestException", iot.delete_thing_group,
                             thingGroupName="boto-site")
        self.assertEqual(iot.update_thing_group(
            thingGroupName="boto-room", thingGroupProperties={
                "attributePayload": {"attributes": {"a": "1"}, "merge": True}})["version"], 2)
        self.assertBotoError("VersionConflictException", iot.delete_thing_group,
                             thingGroupName="boto-room", expectedVersion=1)
        iot.remove_thing_from_thing_group(thingGroupArn=self.group_arn("boto-room"),
                                          thingArn=self.thing_arn("boto-member"))
        for name in ("boto-room", "boto-floor", "boto-site"):
            iot.delete_thing_group(thingGroupName=name)
        self.assertEqual(iot.list_thing_groups_for_thing(thingName="boto-member")["thingGroups"],
                         [])

    # --- isolation and malformed input --------------------------------------------------------

    def test_another_account_cannot_see_or_touch_them(self):
        iot = self.boto()
        iot.create_thing(thingName="private-thing")
        iot.create_thing_group(thingGroupName="private-group")
        iot.add_thing_to_thing_group(thingGroupName="private-group", thingName="private-thing")
        other = self.boto(self.stranger)
        for call, kwargs in [
            (other.describe_thing, {"thingName": "private-thing"}),
            (other.update_thing, {"thingName": "private-thing", "thingTypeName": "x"}),
            (other.list_thing_principals, {"thingName": "private-thing"}),
            (other.list_thing_groups_for_thing, {"thingName": "private-thing"}),
            (other.describe_thing_group, {"thingGroupName": "private-group"}),
            (other.update_thing_group, {"thingGroupName": "private-group",
                                        "thingGroupProperties": {}}),
            (other.list_things_in_thing_group, {"thingGroupName": "private-group"}),
            (other.add_thing_to_thing_group, {"thingGroupArn": self.group_arn("private-group"),
                                              "thingArn": self.thing_arn("private-thing")}),
            (other.remove_thing_from_thing_group, {"thingGroupName": "private-group",
                                                   "thingName": "private-thing"}),
        ]:
            with self.subTest(call=call.__name__):
                self.assertBotoError("ResourceNotFoundException", call, **kwargs)
        self.assertCliError("ResourceNotFoundException", "describe-thing", "--thing-name",
                            "private-thing", account=self.stranger)
        self.assertCliError("ResourceNotFoundException", "describe-thing-group",
                            "--thing-group-name", "private-group", account=self.stranger)
        listed = self.cli("list-things", account=self.stranger)["things"]
        self.assertNotIn("private-thing", [t["thingName"] for t in listed])
        groups = self.cli("list-thing-groups", account=self.stranger)["thingGroups"]
        self.assertNotIn("private-group", [g["groupName"] for g in groups])
        # Deletes in the other account are no-ops there (AWS: a missing thing or group is a
        # success), and leave the owner's resources in place.
        other.delete_thing(thingName="private-thing")
        other.delete_thing_group(thingGroupName="private-group")
        self.assertEqual(iot.list_things_in_thing_group(thingGroupName="private-group")["things"],
                         ["private-thing"])

    def test_malformed_names_are_invalid_requests(self):
        iot = self.boto()
        long_name = "n" * 129
        for name in ("has space", long_name, "slash/inside", "bang!"):
            with self.subTest(client="boto3", name=name):
                self.assertBotoError("InvalidRequestException", iot.create_thing, thingName=name)
                self.assertBotoError("InvalidRequestException", iot.create_thing_group,
                                     thingGroupName=name)
        for args in (("create-thing", "--thing-name", "has space"),
                     ("create-thing", "--thing-name", long_name),
                     ("describe-thing", "--thing-name", "has space"),
                     ("create-thing-group", "--thing-group-name", long_name),
                     ("create-thing", "--thing-name", "ok", "--attribute-payload",
                      '{"attributes":{"bad key":"v"}}'),
                     ("list-things", "--attribute-name", "bad name")):
            with self.subTest(client="cli", args=args):
                err = self.assertCliError("InvalidRequestException", *args)
                self.assertTrue(err.message)
        self.assertNotIn("ok", [t["thingName"] for t in iot.list_things()["things"]])


def _add_query(member):
    """A botocore before-sign hook that appends `member` to the request's querystring, for
    model members the Debian clients do not know yet (thingPrincipalType)."""
    def hook(request, **_):
        request.url += ("&" if "?" in request.url else "?") + member
    return hook


if __name__ == "__main__":
    unittest.main()
