// Package yamlnode reads and edits gopkg.in/yaml.v3 node trees: entries of
// a mapping by key, replacing and deleting them in place, deep copies, and
// a comparison that ignores layout. Form and workflow overlays merge their
// YAML trees with it.
//
// Aliases are never expanded here. Definitions refuse them when parsed, and
// expanding them could turn a few lines into a huge or endless tree (an
// anchor may contain an alias to itself).
package yamlnode

import (
	"bytes"
	"slices"

	"gopkg.in/yaml.v3"
)

// KeyIndex returns the index in n.Content of the key node of the entry
// key, or -1 when n is not a mapping or has no such entry. The value is at
// the index after it.
func KeyIndex(n *yaml.Node, key string) int {
	if n == nil || n.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// Value returns the value of the entry key of mapping n, or nil.
func Value(n *yaml.Node, key string) *yaml.Node {
	if i := KeyIndex(n, key); i >= 0 {
		return n.Content[i+1]
	}
	return nil
}

// Scalar returns the text of the entry key of mapping n when its value is a
// scalar, else "".
func Scalar(n *yaml.Node, key string) string {
	if v := Value(n, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// KeyLine returns the line of the entry key of mapping n, or n's own line
// when there is none, so a problem about a missing entry points at the
// mapping that lacks it.
func KeyLine(n *yaml.Node, key string) int {
	if i := KeyIndex(n, key); i >= 0 {
		return n.Content[i].Line
	}
	return n.Line
}

// Set replaces the entry named by key node k in mapping n with k: v, where
// it stands, or appends k: v. The key node is replaced too, so the entry's
// line becomes k's.
func Set(n, k, v *yaml.Node) {
	if i := KeyIndex(n, k.Value); i >= 0 {
		n.Content[i], n.Content[i+1] = k, v
		return
	}
	n.Content = append(n.Content, k, v)
}

// Delete removes the entry key from mapping n and reports whether there
// was one.
func Delete(n *yaml.Node, key string) bool {
	i := KeyIndex(n, key)
	if i < 0 {
		return false
	}
	n.Content = slices.Delete(n.Content, i, i+2)
	return true
}

// Clone copies a tree deeply, so editing the copy never changes the
// original's nodes. An alias node is copied as it is: its Alias still
// points into the original tree.
func Clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, ch := range n.Content {
		c.Content[i] = Clone(ch)
	}
	return &c
}

// Same reports whether two trees say the same thing: it compares their
// YAML text without comments, styles or line positions, so reformatting an
// entry does not count as a change. An alias compares as its name (*name),
// not as what it refers to.
func Same(a, b *yaml.Node) bool {
	ea, errA := yaml.Marshal(stripped(a))
	eb, errB := yaml.Marshal(stripped(b))
	return errA == nil && errB == nil && bytes.Equal(ea, eb)
}

// stripped copies a tree keeping only kinds, resolved tags and values. An
// alias becomes the string *name, which marshals without its anchor.
func stripped(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "*" + n.Value}
	}
	c := &yaml.Node{Kind: n.Kind, Tag: n.ShortTag(), Value: n.Value}
	for _, ch := range n.Content {
		c.Content = append(c.Content, stripped(ch))
	}
	return c
}
