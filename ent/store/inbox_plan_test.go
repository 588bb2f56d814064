package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"jianfu/ent"
	"jianfu/ent/storetest"
	"jianfu/roles"
	"jianfu/workflows"
)

// TestInboxPlannedOncePerConnection: on PostgreSQL an inbox page runs on
// the generic plan after a prepared statement's five custom-planned trial
// runs (see postgresInbox). With the actor's values in sight a village's
// custom plan looked the cheaper, and the statement was planned anew on
// every page.
func TestInboxPlannedOncePerConnection(t *testing.T) {
	ctx := context.Background()
	db := openPostgres(t)
	var version int
	if err := db.sql.QueryRowContext(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version < 140000 {
		t.Skip("pg_prepared_statements counts plans from PostgreSQL 14 on")
	}
	// 30 villages with 100 open tasks of their cadre and 20 of a
	// department each: a village's page reads a thirtieth of its index.
	const villages = 30
	var codes []string
	for v := range villages {
		code := fmt.Sprintf("510100001%03d", v+1)
		codes = append(codes, code)
		if err := addOpenTasks(ctx, db.Client, code, v, 100, 20); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.sql.ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	actors := map[string]func(i int) workflows.User{
		"village cadre": func(i int) workflows.User {
			return workflows.User{Username: "v", Role: roles.Village, Locality: codes[i%villages]}
		},
		"county liaison": func(int) workflows.User {
			return workflows.User{Username: "l", Role: roles.Liaison, Locality: "510100000000", Department: "education"}
		},
	}
	for name, actor := range actors {
		t.Run(name, func(t *testing.T) {
			// One connection, as a pooled one serves page after page.
			conn, err := db.sql.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			var stmts inboxStatements
			for i := range 10 {
				var args []any
				stmts, args, _ = inboxQuery(dialect.Postgres, actor(i))
				rows, err := conn.QueryContext(ctx, stmts.page, append(args, 10, 0)...)
				if err != nil {
					t.Fatalf("inbox page: %v", err)
				}
				n := 0
				for rows.Next() {
					n++
				}
				if err := rows.Close(); err != nil {
					t.Fatal(err)
				}
				if n != 10 {
					t.Fatalf("an inbox page of 10 has %d tasks", n)
				}
			}
			var generic, custom int
			if err := conn.QueryRowContext(ctx, "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
				stmts.page).Scan(&generic, &custom); err != nil {
				t.Fatalf("the inbox's prepared statement: %v", err)
			}
			if generic == 0 {
				t.Errorf("10 inbox pages on one connection: %d custom plans and no generic one, want the generic plan after 5", custom)
			}
		})
	}
}

// openPostgres opens a fresh PostgreSQL database, or skips the test.
func openPostgres(t *testing.T) *DB {
	t.Helper()
	for _, tdb := range storetest.TestDatabases(t) {
		if tdb.Name != "postgres" {
			continue
		}
		db, err := Open(context.Background(), tdb.DSN)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	t.Skip("needs PostgreSQL")
	return nil
}

// addOpenTasks gives village code, the n-th, a household with one case
// holding cadre open tasks for the village cadre and dept for the
// education department.
func addOpenTasks(ctx context.Context, client *ent.Client, code string, n, cadre, dept int) error {
	path, err := roles.Path(code)
	if err != nil {
		return err
	}
	now := time.Now()
	h, err := client.Household.Create().SetHeadName("户主").SetIDNumber(fmt.Sprintf("%018d", n)).
		SetLocality(code).SetLocalityPath(path).SetCreatedAt(now).Save(ctx)
	if err != nil {
		return fmt.Errorf("household: %w", err)
	}
	c, err := client.Casefile.Create().SetWorkflow("identification").SetWorkflowVersion(1).SetState("verification").
		SetHousehold(h).SetLocality(code).SetLocalityPath(path).SetEnteredAt(now).SetCreatedAt(now).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return fmt.Errorf("case: %w", err)
	}
	bulk := make([]*ent.TaskCreate, cadre+dept)
	for i := range bulk {
		bulk[i] = client.Task.Create().SetCase(c).SetWorkflow("identification").SetState("verification").
			SetLocality(code).SetLocalityPath(path).SetStatus(workflows.TaskOpen).
			SetDue(now.Add(time.Duration(i) * time.Hour)).SetCreatedAt(now)
		if i < cadre {
			bulk[i].SetRole(roles.Village)
		} else {
			bulk[i].SetDepartment("education")
		}
	}
	if err := client.Task.CreateBulk(bulk...).Exec(ctx); err != nil {
		return fmt.Errorf("tasks: %w", err)
	}
	return nil
}
