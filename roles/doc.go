// Package roles decides who may act where: a Casbin RBAC model with domains
// laid on the locality tree (统计用区划代码), the roles of the platform
// (village, township, county, liaison, admin), and the questions the rest of
// the system asks — may this user fire this trigger, complete this
// department's task, see this locality, administer definitions?
//
// Policy rows are data: the embedded policy.csv holds the rows that do not
// come from workflow definitions, and each published workflow's rows are
// generated from it (SetWorkflowRules). Users' grants are grouping rows whose
// domain is a locality path pattern, so a township cadre's grant covers the
// villages below it.
//
// The package imports nothing of Jianfu, knows nothing of HTTP or SQL, and
// must stay that way: the store converts workflow rules and user rows into
// Rules and Grants.
package roles
