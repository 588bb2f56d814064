package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"jianfu/ent"
	"jianfu/ent/locality"
	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// Bulk loading is the operator's path for whole registries (a county's
// locality tree, its household registry): rows go in multi-row inserts, a
// batch per transaction, with one audit event per batch rather than one per
// row. The synthetic county of `jianfu bench` is loaded through it, and the
// registry import of the roadmap will be.

// Batch sizes of a bulk load. Commits, and on SQLite the WAL checkpoints
// with their fsyncs, dominate a load: 10,000 households per transaction
// loaded twice as fast as 1,000 (docs/BENCHMARKS.md, notes), and a
// failing batch still names its rows. Each multi-row INSERT stays under
// SQLite's 32,766 bound variables (members have six columns).
const (
	loadBatch  = 10_000 // households per transaction
	insertRows = 2000   // rows per INSERT statement
)

// NewLocality is one node of the locality tree to create.
type NewLocality struct {
	Code string // 12-digit 统计用区划代码
	Name string
}

// CreateLocalities adds nodes of the locality tree in one transaction.
// Like CreateUsers it is an operator's tool and takes no actor.
func (s *Service) CreateLocalities(ctx context.Context, ls []NewLocality) error {
	bulk := make([]*ent.LocalityCreate, 0, len(ls))
	for _, l := range ls {
		path, err := roles.Path(l.Code)
		if err != nil {
			return fmt.Errorf("locality %s: %w", l.Code, err)
		}
		level, err := roles.Level(l.Code)
		if err != nil {
			return fmt.Errorf("locality %s: %w", l.Code, err)
		}
		c := s.client.Locality.Create().SetCode(l.Code).SetName(l.Name).SetLevel(level).SetPath(path)
		if parent, ok := roles.Parent(l.Code); ok {
			c.SetParentCode(parent)
		}
		bulk = append(bulk, c)
	}
	return s.inTx(ctx, func(tx *ent.Tx) error {
		for start := 0; start < len(bulk); start += loadBatch {
			end := min(start+loadBatch, len(bulk))
			if _, err := tx.Locality.CreateBulk(bulk[start:end]...).Save(ctx); err != nil {
				return fmt.Errorf("create localities %d–%d: %w", start, end, err)
			}
			if err := s.audit(ctx, tx, system, auditEntry{kind: "create_localities", locality: ls[start].Code,
				object: fmt.Sprintf("localities:%s…%s (%d)", ls[start].Code, ls[end-1].Code, end-start)}); err != nil {
				return err
			}
		}
		return nil
	})
}

// LoadHouseholds registers households in bulk, each in an existing village,
// with the same checks as CreateHousehold (names, 身份证号, locality) but
// without per-row authorization: it is an operator's tool run on behalf of
// actor, who is named in the audit trail. Batches of loadBatch households
// commit one by one, so a failure leaves the earlier batches loaded; the
// returned count says how many households were committed (a multiple of
// loadBatch). A 身份证号 that is
// already registered fails its batch on the unique index.
func (s *Service) LoadHouseholds(ctx context.Context, actor workflows.User, hs []workflows.Household) (int, error) {
	villages, err := s.villagePaths(ctx)
	if err != nil {
		return 0, err
	}
	loaded := 0
	for start := 0; start < len(hs); start += loadBatch {
		batch := hs[start:min(start+loadBatch, len(hs))]
		if err := s.loadBatch(ctx, actor, villages, batch, start); err != nil {
			return loaded, err
		}
		loaded += len(batch)
	}
	return loaded, nil
}

// villagePaths maps every village code to its locality path, so a batch
// needs no lookup per row.
func (s *Service) villagePaths(ctx context.Context) (map[string]string, error) {
	rows, err := s.client.Locality.Query().Where(locality.Level("village")).
		Select(locality.FieldCode, locality.FieldPath).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load villages: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, l := range rows {
		out[l.Code] = l.Path
	}
	return out, nil
}

func (s *Service) loadBatch(ctx context.Context, actor workflows.User, villages map[string]string, batch []workflows.Household, offset int) error {
	paths := make([]string, len(batch))
	for i := range batch {
		h := &batch[i]
		h.HeadName = strings.TrimSpace(h.HeadName)
		h.IDNumber = strings.ToUpper(strings.TrimSpace(h.IDNumber))
		if errs := validateHousehold(*h); len(errs) > 0 {
			return &workflows.Error{Code: workflows.Invalid, Message: fmt.Sprintf("第%d户信息有误", offset+i+1), Fields: errs}
		}
		path, ok := villages[h.Locality]
		if !ok {
			return &workflows.Error{Code: workflows.Invalid, Message: fmt.Sprintf("第%d户信息有误", offset+i+1),
				Fields: forms.FieldErrors{{Field: "locality", Message: "区划代码不是已登记的行政村"}}}
		}
		paths[i] = path
	}
	now := s.now()
	return s.inTx(ctx, func(tx *ent.Tx) error {
		heads := make([]*ent.HouseholdCreate, len(batch))
		for i, h := range batch {
			heads[i] = tx.Household.Create().SetHeadName(h.HeadName).SetIDNumber(h.IDNumber).
				SetIDReversed(reversed(h.IDNumber)).SetLocality(h.Locality).SetLocalityPath(paths[i]).SetCreatedAt(now)
		}
		ids := make([]int, 0, len(heads))
		for start := 0; start < len(heads); start += insertRows {
			rows, err := tx.Household.CreateBulk(heads[start:min(start+insertRows, len(heads))]...).Save(ctx)
			if err != nil {
				return fmt.Errorf("insert households %d–%d: %w", offset+1, offset+len(batch), err)
			}
			// ent pairs the ids RETURNING gives with the rows by position,
			// an order neither database promises. The ids themselves are
			// drawn in the order of the VALUES (SQLite's rowids under the
			// write lock, PostgreSQL's sequence row by row), so sorted
			// they are the rows' ids in order.
			chunk := make([]int, len(rows))
			for i, r := range rows {
				chunk[i] = r.ID
			}
			slices.Sort(chunk)
			ids = append(ids, chunk...)
		}
		var members []*ent.MemberCreate
		for i, h := range batch {
			for _, m := range h.Members {
				members = append(members, tx.Member.Create().SetHouseholdID(ids[i]).
					SetName(strings.TrimSpace(m.Name)).SetIDNumber(strings.ToUpper(strings.TrimSpace(m.IDNumber))).
					SetRelation(m.Relation).SetGender(m.Gender).SetBirth(m.Birth))
			}
		}
		for start := 0; start < len(members); start += insertRows {
			if _, err := tx.Member.CreateBulk(members[start:min(start+insertRows, len(members))]...).Save(ctx); err != nil {
				return fmt.Errorf("insert members of households %d–%d: %w", offset+1, offset+len(batch), err)
			}
		}
		return s.audit(ctx, tx, actor, auditEntry{kind: "load_households",
			object: fmt.Sprintf("households:%d-%d", ids[0], ids[len(ids)-1])})
	})
}
