#include "registry/thing_group_service.h"

#include <gtest/gtest.h>

#include "registry/thing_service.h"
#include "registry_fixture.h"

namespace fg::registry::testing {
namespace {

class ThingGroupServiceTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    groups_ = std::make_unique<ThingGroupService>(*store_, clock_);
    things_ = std::make_unique<ThingService>(*store_, clock_);
  }

  void Create(const std::string& name, std::optional<std::string> parent = std::nullopt) {
    auto r = groups_->Create(kAccountA, name, ThingGroupConfig{std::move(parent), "", {}});
    ASSERT_TRUE(r.has_value()) << name << ": " << r.error().ToString();
  }

  std::vector<std::string> Names(const Page<ThingGroup>& page) {
    std::vector<std::string> out;
    for (const auto& g : page.items) {
      out.push_back(g.name);
    }
    return out;
  }

  std::unique_ptr<ThingGroupService> groups_;
  std::unique_ptr<ThingService> things_;
};

using V = std::vector<std::string>;

TEST_F(ThingGroupServiceTest, CreateIsIdempotentAndChecksTheParent) {
  const ThingGroupConfig config{std::nullopt, "floor 1", {{"building", "a"}}};
  auto first = groups_->Create(kAccountA, "floor-1", config);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(groups_->Create(kAccountA, "floor-1", config)->id, first->id);
  auto different =
      groups_->Create(kAccountA, "floor-1", ThingGroupConfig{std::nullopt, "other", {}});
  ASSERT_FALSE(different.has_value());
  EXPECT_EQ(different.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(different.error().resource_arn,
            "arn:aws:iot:us-east-1:111111111111:thinggroup/floor-1");
  EXPECT_EQ(groups_->Create(kAccountA, "x", ThingGroupConfig{"missing", "", {}}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(groups_->Create(kAccountB, "x", ThingGroupConfig{"floor-1", "", {}}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(groups_->Create(kAccountA, "bad name", {}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      groups_->Create(kAccountA, "x", ThingGroupConfig{std::nullopt, std::string(2029, 'd'), {}})
          .error()
          .code,
      ErrorCode::kInvalidArgument);
}

TEST_F(ThingGroupServiceTest, HierarchyIsAtMostSevenDeep) {
  Create("g1");
  for (int level = 2; level <= 7; ++level) {
    Create("g" + std::to_string(level), "g" + std::to_string(level - 1));
  }
  auto too_deep = groups_->Create(kAccountA, "g8", ThingGroupConfig{"g7", "", {}});
  ASSERT_FALSE(too_deep.has_value());
  EXPECT_EQ(too_deep.error().code, ErrorCode::kLimitExceeded);
  auto described = groups_->Describe(kAccountA, "g7");
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(described->root_to_parent, (V{"g1", "g2", "g3", "g4", "g5", "g6"}));
}

TEST_F(ThingGroupServiceTest, DeleteRefusedWhileItHasChildren) {
  Create("parent");
  Create("child", "parent");
  EXPECT_EQ(groups_->Delete(kAccountA, "parent", std::nullopt).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(groups_->Delete(kAccountA, "child", 9).error().code, ErrorCode::kVersionConflict);
  ASSERT_TRUE(groups_->Delete(kAccountA, "child", 1).has_value());
  ASSERT_TRUE(groups_->Delete(kAccountA, "parent", std::nullopt).has_value());
  EXPECT_TRUE(groups_->Delete(kAccountA, "parent", std::nullopt).has_value());
  EXPECT_EQ(groups_->Describe(kAccountA, "parent").error().code, ErrorCode::kNotFound);
}

TEST_F(ThingGroupServiceTest, ListDirectAndRecursive) {
  Create("root");
  Create("a", "root");
  Create("b", "root");
  Create("a1", "a");
  Create("other");
  EXPECT_EQ(Names(groups_->List(kAccountA, std::nullopt, "", false, PageRequest{}).value()),
            (V{"a", "a1", "b", "other", "root"}));
  EXPECT_EQ(Names(groups_->List(kAccountA, "root", "", false, PageRequest{}).value()),
            (V{"a", "b"}));
  EXPECT_EQ(Names(groups_->List(kAccountA, "root", "", true, PageRequest{}).value()),
            (V{"a", "a1", "b"}));
  EXPECT_EQ(Names(groups_->List(kAccountA, "root", "a", true, PageRequest{}).value()),
            (V{"a", "a1"}));
  auto first = groups_->List(kAccountA, "root", "", true, PageRequest{2, ""}).value();
  EXPECT_EQ(Names(first), (V{"a", "a1"}));
  EXPECT_EQ(
      Names(groups_->List(kAccountA, "root", "", true, PageRequest{2, first.next_cursor}).value()),
      (V{"b"}));
  EXPECT_TRUE(groups_->List(kAccountB, std::nullopt, "", false, PageRequest{})->items.empty());
}

TEST_F(ThingGroupServiceTest, MembershipDirectAndRecursive) {
  Create("root");
  Create("child", "root");
  for (const char* t : {"t1", "t2", "t3"}) {
    ASSERT_TRUE(things_->Create(kAccountA, t, {}).has_value());
  }
  ASSERT_TRUE(groups_->AddThing(kAccountA, "root", "t1").has_value());
  ASSERT_TRUE(groups_->AddThing(kAccountA, "root", "t1").has_value());  // idempotent
  ASSERT_TRUE(groups_->AddThing(kAccountA, "child", "t2").has_value());
  ASSERT_TRUE(groups_->AddThing(kAccountA, "child", "t1").has_value());
  EXPECT_EQ(groups_->AddThing(kAccountA, "nope", "t1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_->AddThing(kAccountA, "root", "nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_->AddThing(kAccountB, "root", "t1").error().code, ErrorCode::kNotFound);

  EXPECT_EQ(groups_->ListThings(kAccountA, "root", false, PageRequest{})->items, (V{"t1"}));
  EXPECT_EQ(groups_->ListThings(kAccountA, "root", true, PageRequest{})->items, (V{"t1", "t2"}));
  EXPECT_EQ(groups_->ListGroupsForThing(kAccountA, "t1", PageRequest{})->items,
            (V{"child", "root"}));
  ASSERT_TRUE(groups_->RemoveThing(kAccountA, "child", "t1").has_value());
  EXPECT_EQ(groups_->ListGroupsForThing(kAccountA, "t1", PageRequest{})->items, (V{"root"}));
  // Deleting a thing removes it from its groups.
  ASSERT_TRUE(things_->Delete(kAccountA, "t2", std::nullopt).has_value());
  EXPECT_EQ(groups_->ListThings(kAccountA, "root", true, PageRequest{})->items, (V{"t1"}));
}

TEST_F(ThingGroupServiceTest, UpdateReplacesOrMergesAndBumpsTheVersion) {
  ASSERT_TRUE(groups_->Create(kAccountA, "g", ThingGroupConfig{std::nullopt, "old", {{"a", "1"}}})
                  .has_value());
  UpdateThingGroupRequest merge;
  merge.attributes = Attributes{{"a", ""}, {"b", "2"}};
  merge.merge = true;
  auto merged = groups_->Update(kAccountA, "g", merge);
  ASSERT_TRUE(merged.has_value()) << merged.error().ToString();
  EXPECT_EQ(merged->attributes, (Attributes{{"b", "2"}}));
  EXPECT_EQ(merged->description, "old");
  EXPECT_EQ(merged->version, 2);

  UpdateThingGroupRequest replace;
  replace.description = "new";
  replace.attributes = Attributes{{"c", "3"}};
  replace.expected_version = 2;
  ASSERT_TRUE(groups_->Update(kAccountA, "g", replace).has_value());
  auto described = groups_->Describe(kAccountA, "g");
  ASSERT_TRUE(described.has_value());
  EXPECT_EQ(described->group.attributes, (Attributes{{"c", "3"}}));
  EXPECT_EQ(described->group.description, "new");
  EXPECT_EQ(described->group.version, 3);
}

TEST_F(ThingGroupServiceTest, UpdateRefusals) {
  Create("g");
  UpdateThingGroupRequest stale;
  stale.expected_version = 7;
  UpdateThingGroupRequest long_description;
  long_description.description = std::string(2029, 'd');
  UpdateThingGroupRequest bad_attribute;
  bad_attribute.attributes = Attributes{{"bad name", "v"}};
  struct Case {
    const char* what;
    const char* account;
    const char* name;
    UpdateThingGroupRequest request;
    ErrorCode code;
  };
  for (const Case& c :
       {Case{"missing", kAccountA, "nope", {}, ErrorCode::kNotFound},
        Case{"other account", kAccountB, "g", {}, ErrorCode::kNotFound},
        Case{"bad name", kAccountA, "bad name", {}, ErrorCode::kInvalidArgument},
        Case{"stale", kAccountA, "g", stale, ErrorCode::kVersionConflict},
        Case{"description", kAccountA, "g", long_description, ErrorCode::kInvalidArgument},
        Case{"attribute", kAccountA, "g", bad_attribute, ErrorCode::kInvalidArgument}}) {
    auto r = groups_->Update(c.account, c.name, c.request);
    ASSERT_FALSE(r.has_value()) << c.what;
    EXPECT_EQ(r.error().code, c.code) << c.what;
  }
  EXPECT_EQ(groups_->Describe(kAccountA, "g")->group.version, 1);
}

}  // namespace
}  // namespace fg::registry::testing
