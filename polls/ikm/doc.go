// Package ikm computes the Indeks Kepuasan Masyarakat (IKM, community satisfaction
// index) of a public service as set out in Peraturan Menteri Pendayagunaan Aparatur
// Negara dan Reformasi Birokrasi (PermenPANRB) Nomor 14 Tahun 2017 tentang Pedoman
// Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik.
//
// It defines the nine survey elements (unsur U1..U9) with their 1–4 answer labels, the
// respondent profile, the computation (NRR per element, index, IKM on 25–100, grade
// A–D), reporting periods in Asia/Jakarta time, and an all-or-nothing CSV reader
// whose errors name the file line and column in Indonesian and English.
//
// Everything here is pure and keeps no package-level mutable state: functions are safe
// to call from many goroutines at once.
package ikm
