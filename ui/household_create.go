package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// The page that registers a household (登记农户). Its inputs are drawn as
// a form definition built here, so they look and fail like every other
// form; the values go to Service.CreateHousehold, whose field errors
// (head_name, id_number, locality, members[i].name …) land on the inputs.

// relationChoices are the relations offered for a member.
func relationChoices() []forms.Choice {
	var out []forms.Choice
	for _, r := range []string{"户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "其他"} {
		out = append(out, forms.Choice{Value: r, Label: r})
	}
	return out
}

// mayRegisterHouseholds reports whether a role registers households:
// cadres of every level, not liaisons or administrators.
func mayRegisterHouseholds(role string) bool {
	return role == "village" || role == "township" || role == "county"
}

// showHouseholdForm renders the empty registration form.
func (s *server) showHouseholdForm(c echo.Context) error {
	def, err := s.householdForm(c)
	if err != nil {
		return err
	}
	in := formInput{}
	for _, f := range def.Fields {
		if f.Name == "locality" && len(f.Choices) == 1 {
			// A village cadre covers one village: choose it for them.
			in.Posted = url.Values{"locality": {f.Choices[0].Value}}
		}
	}
	return s.renderHouseholdForm(c, http.StatusOK, def, in)
}

// householdCreate registers a household and opens its page.
func (s *server) householdCreate(c echo.Context) error {
	post, err := readFormPost(c)
	if err != nil {
		return err
	}
	def, err := s.householdForm(c)
	if err != nil {
		return err
	}
	if post.Redraw {
		return s.renderHouseholdForm(c, http.StatusOK, def, post.input())
	}
	h, err := s.svc.CreateHousehold(c.Request().Context(), currentUser(c), householdFromPost(post.Values))
	if in, ok := invalidInput(err, post.Values); ok {
		return s.renderHouseholdForm(c, http.StatusUnprocessableEntity, def, in)
	}
	if err != nil {
		return withBack(fmt.Errorf("create household: %w", err), "/households/new")
	}
	setFlash(c, flashHouseholdCreated)
	return c.Redirect(http.StatusSeeOther, householdURL(h.ID))
}

// householdForm builds the form: the locality select offers the villages
// the user covers.
func (s *server) householdForm(c echo.Context) (*forms.Definition, error) {
	u := currentUser(c)
	if !mayRegisterHouseholds(u.Role) {
		return nil, workflows.Errorf(workflows.Forbidden, "仅村、乡镇、县级干部可登记农户")
	}
	ls, err := s.svc.Localities(c.Request().Context(), u)
	if err != nil {
		return nil, fmt.Errorf("list localities: %w", err)
	}
	var villages []forms.Choice
	for _, l := range ls {
		if l.Level == "village" {
			villages = append(villages, forms.Choice{Value: l.Code, Label: l.Name})
		}
	}
	return &forms.Definition{ID: "household", Title: "登记农户", Fields: []*forms.Field{
		{Name: "head_name", Type: forms.TypeText, Label: "户主姓名", Required: true},
		{Name: "id_number", Type: forms.TypeIDCard, Label: "户主身份证号", Required: true, Hint: "18位，末位可为X"},
		{Name: "locality", Type: forms.TypeSelect, Label: "所在村", Required: true, Choices: villages},
		{Name: "members", Type: forms.TypeRepeat, Label: "家庭成员", Hint: "户主本人也请列入", Fields: []*forms.Field{
			{Name: "name", Type: forms.TypeText, Label: "姓名", Required: true},
			{Name: "id_number", Type: forms.TypeIDCard, Label: "身份证号"},
			{Name: "relation", Type: forms.TypeSelect, Label: "与户主关系", Choices: relationChoices()},
		}},
	}}, nil
}

func (s *server) renderHouseholdForm(c echo.Context, status int, def *forms.Definition, in formInput) error {
	v := formPageView{
		Page:    s.page(c, "登记农户"),
		Heading: "登记农户",
		Action:  "/households/new",
		HasForm: true,
		Form:    s.drawForm(def, in),
		Submit:  "登记",
		Cancel:  "/households",
	}
	return render(c, status, formPage(v))
}

// householdFromPost reads the posted form. Trailing member rows left
// wholly empty are dropped (the page starts with one); earlier rows keep
// their index so errors land on the right row.
func householdFromPost(posted url.Values) workflows.Household {
	h := workflows.Household{
		HeadName: strings.TrimSpace(posted.Get("head_name")),
		IDNumber: strings.TrimSpace(posted.Get("id_number")),
		Locality: posted.Get("locality"),
	}
	n := postedRows(posted, "members")
	for i := range n {
		p := fmt.Sprintf("members[%d].", i)
		h.Members = append(h.Members, workflows.Member{
			Name:     strings.TrimSpace(posted.Get(p + "name")),
			IDNumber: strings.TrimSpace(posted.Get(p + "id_number")),
			Relation: posted.Get(p + "relation"),
		})
	}
	for len(h.Members) > 0 && h.Members[len(h.Members)-1] == (workflows.Member{}) {
		h.Members = h.Members[:len(h.Members)-1]
	}
	return h
}
