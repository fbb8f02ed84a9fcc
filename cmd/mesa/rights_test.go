package main

import (
	"strings"
	"testing"
)

// Issue 16 item 3 through the command line: a consulta and a reclamo are
// registered with their deadlines on the office calendar (San José and
// Semana Santa in between), shown in the Derechos tab, reminded in the
// Administrador's digest, extended, closed with the action taken, and
// counted by `mesa report` in a line of their own.
func TestRightsRequestsThroughTheCLI(t *testing.T) {
	data := t.TempDir()
	g := []string{"--data", data}
	must(t, nil, append(g, "import", "sheet", "agentes", testdata("sheets/agentes.csv"))...)
	at := func(ts string) []string { return append(append([]string{}, g...), "--now", ts) }

	out := must(t, nil, append(at("2026-03-18T10:00:00-05:00"), "privacy", "request", "--type", "consulta", "--email", "jose.nunez@funza-cundinamarca.gov.co",
		"--subject", "Qué datos personales tiene la mesa")...)
	if !strings.Contains(out, "HD-2026-001 registrada: consulta recibida el 2026-03-18") || !strings.Contains(out, "Vence el 2026-04-06 (10 días hábiles); con prórroga, el 2026-04-13") {
		t.Errorf("request consulta:\n%s", out)
	}
	out = must(t, nil, append(at("2026-03-18T10:05:00-05:00"), "privacy", "request", "--type", "reclamo", "--email", "maria.lopez@funza-cundinamarca.gov.co",
		"--received", "2026-03-02", "--subject", "Supresión de sus datos")...)
	if !strings.Contains(out, "HD-2026-002 registrada: reclamo recibido el 2026-03-02") || !strings.Contains(out, "Vence el 2026-03-24 (15 días hábiles); con prórroga, el 2026-04-07") {
		t.Errorf("request reclamo:\n%s", out)
	}
	if _, err := mesa(t, nil, append(g, "privacy", "request", "--type", "queja", "--email", "a@b.co")...); exitCode(err) != 2 || !strings.Contains(err.Error(), "use consulta o reclamo") {
		t.Errorf("--type queja: exit %d, want 2 with a Spanish message: %v", exitCode(err), err)
	}
	tab := must(t, nil, append(g, "export", "derechos")...)
	for _, want := range []string{"Radicado,Tipo,Recibido,Correo del titular,Asunto,Vence,Prórroga,Vence con prórroga,Estado,Cerrada el,Acción tomada",
		"HD-2026-002,Reclamo,2026-03-02,maria.lopez@funza-cundinamarca.gov.co,Supresión de sus datos,2026-03-24,No,2026-04-07,Abierta,,"} {
		if !strings.Contains(tab, want) {
			t.Errorf("export derechos lacks %q:\n%s", want, tab)
		}
	}

	// The Administrador's digest of Thursday 19 March, queued at 07:05 and
	// held for working hours (Ley 2191 de 2022), goes at 08:00 listing both,
	// the most urgent first.
	must(t, nil, append(at("2026-03-19T07:05:00-05:00"), "sync")...)
	if body := mailTo(t, data, "sandra.rosas@funza-cundinamarca.gov.co"); body != "" {
		t.Errorf("the digest went before working hours:\n%s", body)
	}
	must(t, nil, append(at("2026-03-19T08:00:00-05:00"), "sync")...)
	body := mailTo(t, data, "sandra.rosas@funza-cundinamarca.gov.co")
	for _, want := range []string{"SOLICITUDES DE TITULARES ABIERTAS (2)", "- HD-2026-002 (reclamo recibido el 2026-03-02): vence el 2026-03-24",
		"- HD-2026-001 (consulta recibida el 2026-03-18): vence el 2026-04-06"} {
		if !strings.Contains(body, want) {
			t.Errorf("the Administrador's digest lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "jose.nunez") {
		t.Error("the digest names the titular")
	}

	out = must(t, nil, append(at("2026-03-20T09:00:00-05:00"), "privacy", "extend", "HD-2026-002")...)
	if !strings.Contains(out, "HD-2026-002: vence el 2026-04-07") {
		t.Errorf("extend:\n%s", out)
	}
	out = must(t, nil, append(at("2026-03-26T09:00:00-05:00"), "privacy", "close", "HD-2026-002", "--action", "Se anonimizó al titular (HD-1)")...)
	if !strings.Contains(out, "cerrada dentro del término") {
		t.Errorf("close:\n%s", out)
	}
	if _, err := mesa(t, nil, append(at("2026-03-26T09:00:00-05:00"), "privacy", "close", "HD-2026-001")...); exitCode(err) != 2 {
		t.Errorf("close without --action: exit %d, want 2", exitCode(err))
	}
	rep := must(t, nil, append(at("2026-04-02T09:00:00-05:00"), "report", "--month", "2026-03", "--out", t.TempDir())...)
	if !strings.Contains(rep, "Solicitudes de titulares (Ley 1581 de 2012): 1 consulta y 1 reclamo recibidos; 1 cerrado, 1 dentro del término legal; 0 vencidos") {
		t.Errorf("report:\n%s", rep)
	}
}
