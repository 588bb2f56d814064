package store

import (
	"context"
	"fmt"
	"math/rand/v2"

	"jianfu/ent"
	"jianfu/roles"
	"jianfu/workflows"
)

// The demo county 示范县 (510100): two townships with three villages each,
// about 200 households, and one account per role; every password is "demo".
// It is deterministic, so screenshots and docs stay stable.

const demoCounty = "510100000000"

var demoLocalities = []struct{ code, name string }{
	{demoCounty, "示范县"},
	{"510100001000", "东山镇"},
	{"510100001001", "桃园村"}, {"510100001002", "柳湾村"}, {"510100001003", "石桥村"},
	{"510100002000", "西河乡"},
	{"510100002001", "青松村"}, {"510100002002", "白鹤村"}, {"510100002003", "梨花村"},
}

// demoUsers are the demo county's accounts. A name is the person's: forms
// prefill it as 填表人 or 核实人一 (user.name).
var demoUsers = []NewUser{
	{Username: "admin", Name: "县管理员", Role: roles.Admin, Locality: demoCounty},
	{Username: "county1", Name: "陈立新", Role: roles.County, Locality: demoCounty},
	{Username: "town1", Name: "李建国", Role: roles.Township, Locality: "510100001000"},
	{Username: "town2", Name: "王秀英", Role: roles.Township, Locality: "510100002000"},
	{Username: "village11", Name: "张明", Role: roles.Village, Locality: "510100001001"},
	{Username: "village12", Name: "刘芳", Role: roles.Village, Locality: "510100001002"},
	{Username: "village21", Name: "赵勇", Role: roles.Village, Locality: "510100002001"},
	{Username: "liaison-gongan", Name: "县公安局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "public_security"},
	{Username: "liaison-minzheng", Name: "县民政局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "civil_affairs"},
	{Username: "liaison-caizheng", Name: "县财政局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "finance"},
	{Username: "liaison-ziranziyuan", Name: "县自然资源局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "natural_resources"},
	{Username: "liaison-shichang", Name: "县市场监管局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "market_regulation"},
	{Username: "liaison-shuiwu", Name: "县税务局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "tax"},
	{Username: "liaison-jiaoyu", Name: "县教育局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "education"},
	{Username: "liaison-zhujian", Name: "县住建局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "housing"},
	{Username: "liaison-shuili", Name: "县水利局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "water"},
	{Username: "liaison-weijian", Name: "县卫健局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "health"},
	{Username: "liaison-yibao", Name: "县医保局 联络员", Role: roles.Liaison, Locality: demoCounty, Department: "medical_insurance"},
}

// Empty reports whether the database has no users yet.
func (s *Service) Empty(ctx context.Context) (bool, error) {
	n, err := s.client.User.Query().Count(ctx)
	if err != nil {
		return false, fmt.Errorf("count users: %w", err)
	}
	return n == 0, nil
}

// SeedDemo fills an empty database with the demo county.
func SeedDemo(ctx context.Context, s *Service) error {
	if err := s.createLocalities(ctx); err != nil {
		return err
	}
	hash, err := HashPassword("demo")
	if err != nil {
		return err
	}
	users := make([]NewUser, len(demoUsers))
	for i, u := range demoUsers {
		u.PasswordHash = hash
		users[i] = u
	}
	if err := s.CreateUsers(ctx, users); err != nil {
		return err
	}
	admin := workflows.User{Username: "admin", Role: roles.Admin, Locality: demoCounty}
	rng := rand.New(rand.NewPCG(510100, 2021))
	villages := []string{"510100001001", "510100001002", "510100001003", "510100002001", "510100002002", "510100002003"}
	for i := range 204 {
		h := demoHousehold(rng, villages[i%len(villages)], i)
		if _, err := s.CreateHousehold(ctx, admin, h); err != nil {
			return fmt.Errorf("demo household %d: %w", i, err)
		}
	}
	return s.seedDemoCases(ctx)
}

func (s *Service) createLocalities(ctx context.Context) error {
	return s.inTx(ctx, func(tx *ent.Tx) error {
		for _, l := range demoLocalities {
			path, err := roles.Path(l.code)
			if err != nil {
				return err
			}
			level, err := roles.Level(l.code)
			if err != nil {
				return err
			}
			parent, _ := roles.Parent(l.code)
			if _, err := tx.Locality.Create().SetCode(l.code).SetName(l.name).SetLevel(level).
				SetPath(path).SetParentCode(parent).Save(ctx); err != nil {
				return fmt.Errorf("create locality %s: %w", l.code, err)
			}
		}
		return nil
	})
}

var (
	surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
	given    = []string{"建国", "秀英", "桂英", "志强", "明", "丽", "军", "芳", "伟", "敏", "静", "海", "霞", "勇", "艳", "杰", "娟", "涛", "超", "桂兰", "玉兰", "德福", "长寿", "春花"}
	kin      = []string{"配偶", "之子", "之女", "父母", "孙子女", "兄弟姐妹"}
)

func demoHousehold(rng *rand.Rand, village string, seq int) workflows.Household {
	surname := string(surnames[rng.IntN(len(surnames))])
	h := workflows.Household{
		HeadName: surname + given[rng.IntN(len(given))],
		IDNumber: demoIDNumber(rng, 1950+rng.IntN(40), seq*5),
		Locality: village,
	}
	h.Members = append(h.Members, workflows.Member{Name: h.HeadName, IDNumber: h.IDNumber, Relation: "户主", Gender: genderOf(h.IDNumber)})
	for j := range rng.IntN(5) {
		m := workflows.Member{Name: surname + given[rng.IntN(len(given))], Relation: kin[rng.IntN(len(kin))]}
		m.IDNumber = demoIDNumber(rng, 1945+rng.IntN(75), seq*5+j+1)
		m.Gender = genderOf(m.IDNumber)
		if m.Relation == "之子" || m.Relation == "之女" {
			// A son is male: the relation follows the 身份证号's sex digit.
			m.Relation = map[string]string{"男": "之子", "女": "之女"}[m.Gender]
		}
		h.Members = append(h.Members, m)
	}
	return h
}

// demoIDNumber makes a valid 18-digit 身份证号 for a made-up person; distinct
// seq values give distinct numbers.
func demoIDNumber(rng *rand.Rand, year, seq int) string {
	body := fmt.Sprintf("%06d%04d%02d%02d%03d", 510100+seq/1000, year, 1+rng.IntN(12), 1+rng.IntN(28), seq%1000)
	return body + string(idCheckDigit(body))
}

// idCheckDigit is the GB 11643 check character of the first 17 digits.
func idCheckDigit(body string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// genderOf reads the sex digit of a 身份证号: odd is male.
func genderOf(id string) string {
	if (id[16]-'0')%2 == 1 {
		return "男"
	}
	return "女"
}
