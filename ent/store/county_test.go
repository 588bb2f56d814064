package store_test

import (
	"testing"

	"golang.org/x/crypto/bcrypt"

	"jianfu/ent/store"
	"jianfu/roles"
)

// seed is what a fixture's database holds before a test begins.
type seed int

const (
	// seedAdmin: the county's administrator, nothing else.
	seedAdmin seed = iota
	// seedCounty: the demo county's localities and accounts, as
	// store.SeedDemo makes them, without its households and cases. Most
	// rules need the people, not the crowd, and the crowd's few hundred
	// transactions cost seconds per database on a busy machine.
	seedCounty
	// seedDemo: store.SeedDemo itself, for the rules that must hold
	// among a realistic crowd (lists, searches, inboxes).
	seedDemo
)

// countyLocalities are the localities of the demo county (ent/store/demo.go).
func countyLocalities() []store.NewLocality {
	return []store.NewLocality{
		{Code: "510100000000", Name: "示范县"},
		{Code: "510100001000", Name: "东山镇"},
		{Code: taoyuan, Name: "桃园村"}, {Code: liuwan, Name: "柳湾村"}, {Code: "510100001003", Name: "石桥村"},
		{Code: "510100002000", Name: "西河乡"},
		{Code: qingsong, Name: "青松村"}, {Code: "510100002002", Name: "白鹤村"}, {Code: "510100002003", Name: "梨花村"},
	}
}

// localityName is the name of a demo locality, or its code when unknown.
func localityName(code string) string {
	for _, l := range countyLocalities() {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

// countyAccounts are the accounts of the demo county (ent/store/demo.go),
// password "demo".
func countyAccounts() []store.NewUser {
	return []store.NewUser{
		{Username: "admin", Name: "县管理员", Role: roles.Admin, Locality: "510100000000"},
		{Username: "county1", Name: "县乡村振兴局 陈科长", Role: roles.County, Locality: "510100000000"},
		{Username: "town1", Name: "东山镇 工作专班 李干事", Role: roles.Township, Locality: "510100001000"},
		{Username: "town2", Name: "西河乡 工作专班 王干事", Role: roles.Township, Locality: "510100002000"},
		{Username: "village11", Name: "桃园村 防贫监测员 张明", Role: roles.Village, Locality: taoyuan},
		{Username: "village12", Name: "柳湾村 防贫监测员 刘芳", Role: roles.Village, Locality: liuwan},
		{Username: "village21", Name: "青松村 防贫监测员 赵勇", Role: roles.Village, Locality: qingsong},
		{Username: "liaison-gongan", Name: "县公安局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "public_security"},
		{Username: "liaison-minzheng", Name: "县民政局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "civil_affairs"},
		{Username: "liaison-caizheng", Name: "县财政局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "finance"},
		{Username: "liaison-ziranziyuan", Name: "县自然资源局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "natural_resources"},
		{Username: "liaison-shichang", Name: "县市场监管局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "market_regulation"},
		{Username: "liaison-shuiwu", Name: "县税务局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "tax"},
		{Username: "liaison-jiaoyu", Name: "县教育局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "education"},
		{Username: "liaison-zhujian", Name: "县住建局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "housing"},
		{Username: "liaison-shuili", Name: "县水利局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "water"},
		{Username: "liaison-weijian", Name: "县卫健局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "health"},
		{Username: "liaison-yibao", Name: "县医保局 联络员", Role: roles.Liaison, Locality: "510100000000", Department: "medical_insurance"},
	}
}

// quickHash hashes a test password at bcrypt's lowest cost: sign-in checks
// stay real, without a tenth of a second per check.
func quickHash(t testing.TB, password string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatalf("hash password: %v", err)
	}
	return string(h)
}

// createUsers adds accounts with password "demo".
func (f *fixture) createUsers(t testing.TB, users ...store.NewUser) {
	t.Helper()
	hash := quickHash(t, "demo")
	for i := range users {
		users[i].PasswordHash = hash
	}
	if err := f.svc.CreateUsers(f.ctx, users); err != nil {
		t.Fatalf("create users: %v", err)
	}
}

func (f *fixture) seed(t testing.TB, s seed) {
	t.Helper()
	switch s {
	case seedAdmin:
		f.createUsers(t, countyAccounts()[0])
	case seedCounty:
		if err := f.svc.CreateLocalities(f.ctx, countyLocalities()); err != nil {
			t.Fatalf("create the county's localities: %v", err)
		}
		f.createUsers(t, countyAccounts()...)
	case seedDemo:
		if err := store.SeedDemo(f.ctx, f.svc); err != nil {
			t.Fatalf("seed the demo county: %v", err)
		}
	}
}
